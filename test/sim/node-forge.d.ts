/** The slice of node-forge (a dependency of `selfsigned`) that tls.ts uses to sign certificates. */
declare module 'node-forge' {
  interface ForgeCertificate {
    serialNumber: string;
    validity: { notBefore: Date; notAfter: Date };
    publicKey: unknown;
    setSubject(attrs: { name?: string; shortName?: string; value: string }[]): void;
    setIssuer(attrs: { name?: string; shortName?: string; value: string }[]): void;
    setExtensions(extensions: Record<string, unknown>[]): void;
    sign(key: unknown, md: unknown): void;
  }
  const forge: {
    pki: {
      createCertificate(): ForgeCertificate;
      privateKeyFromPem(pem: string): unknown;
      publicKeyFromPem(pem: string): unknown;
      certificateToPem(cert: ForgeCertificate): string;
    };
    md: { sha256: { create(): unknown } };
  };
  export default forge;
}
