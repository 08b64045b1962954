/**
 * A throwaway certificate authority and a server certificate it signs for 127.0.0.1/localhost:
 * what the kubeconfig's certificate-authority-data pins. Keys come from node's crypto; node-forge
 * (already installed with `selfsigned`) builds and signs the X.509 certificates.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import forge from 'node-forge';

export interface ServerCredentials {
  caPem: string;
  certPem: string;
  keyPem: string;
}

function keyPair(): { publicKey: string; privateKey: string } {
  return generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
}

function serial(): string {
  const bytes = randomBytes(9);
  bytes[0] &= 0x7f;
  return bytes.toString('hex');
}

export function generateServerCredentials(): ServerCredentials {
  const now = new Date();
  const later = new Date(now.getTime() + 365 * 24 * 3600 * 1000);
  const before = new Date(now.getTime() - 60 * 1000);

  const caKeys = keyPair();
  const caKey = forge.pki.privateKeyFromPem(caKeys.privateKey);
  const ca = forge.pki.createCertificate();
  ca.serialNumber = serial();
  ca.validity.notBefore = before;
  ca.validity.notAfter = later;
  ca.publicKey = forge.pki.publicKeyFromPem(caKeys.publicKey);
  const caName = [{ name: 'commonName', value: 'tether-simulator-ca' }];
  ca.setSubject(caName);
  ca.setIssuer(caName);
  ca.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  ca.sign(caKey, forge.md.sha256.create());

  const serverKeys = keyPair();
  const cert = forge.pki.createCertificate();
  cert.serialNumber = serial();
  cert.validity.notBefore = before;
  cert.validity.notAfter = later;
  cert.publicKey = forge.pki.publicKeyFromPem(serverKeys.publicKey);
  cert.setSubject([{ name: 'commonName', value: 'kube-apiserver' }]);
  cert.setIssuer(caName);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }, { type: 7, ip: '127.0.0.1' }] },
  ]);
  cert.sign(caKey, forge.md.sha256.create());

  return { caPem: forge.pki.certificateToPem(ca), certPem: forge.pki.certificateToPem(cert), keyPem: serverKeys.privateKey };
}
