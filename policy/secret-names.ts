/**
 * True for a name that says it holds a secret: password, passphrase, secret, token, API key,
 * private key or credentials as a word (snake_case, kebab-case or camelCase). Names that only
 * describe a secret (`token_name`, `password_file`, `token_expiry`) are not secrets.
 */
export function isSecretName(name: string): boolean {
  const words = name.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase();
  if (/(^|[_-])(name|id|expiry|expiration|ttl|file|path|length|user|username|url)$/.test(words)) return false;
  return /(^|[_-])(password|passwd|passphrase|secret|token|apikey|api[_-]key|private[_-]key|credentials?)($|[_-])/.test(words);
}
