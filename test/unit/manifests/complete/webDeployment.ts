/** The head of shop/web's Deployment, down to its pod spec: the completion and navigation tests write the rest. */
export const webDeploymentHead = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web, tier: front }
    spec:
`;
