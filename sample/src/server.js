// The demo shop's API: products and a health check, on PORT (3000 like the Deployment's container).
// Run it with `npm start`; in the cluster it is Deployment shop/api (k8s/api.yaml).
const http = require('node:http');

const products = [
  { id: 'mug', name: 'Tether mug', priceCents: 1200 },
  { id: 'tee', name: 'Tether T-shirt', priceCents: 2500 },
  { id: 'sticker', name: 'Sticker pack', priceCents: 400 },
];

function send(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

const server = http.createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (req.method !== 'GET') return send(res, 405, { error: 'method not allowed' });
  if (url.pathname === '/healthz') return send(res, 200, { ok: true });
  if (url.pathname === '/products') return send(res, 200, { products, servedBy: process.env.HOSTNAME ?? 'local' });
  const match = /^\/products\/([a-z0-9-]+)$/.exec(url.pathname);
  if (match) {
    const product = products.find((p) => p.id === match[1]);
    return product ? send(res, 200, product) : send(res, 404, { error: `no product ${match[1]}` });
  }
  return send(res, 404, { error: 'not found' });
});

const port = Number(process.env.PORT ?? 3000);
server.listen(port, () => console.log(`shop-api listening on http://localhost:${port}`));
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.close(() => process.exit(0)));
