import { lookup } from "node:dns/promises";
import { isIP } from "node:net";
import { computeRunnerAddressRefusal, InvalidInputError } from "@industrial/core";

/**
 * A registered runner URL may not reach link-local or cloud-metadata
 * addresses (docs/security.md, "Runners"): the host is resolved and every
 * address it names is judged. Only admins register URLs, and a name that
 * resolves elsewhere later is their responsibility (DNS can change); what is
 * refused here is the obvious door. A tenant's notify webhook URL passes the
 * same check (`field` names it in the 400): the server POSTs to it.
 */
export async function assertRunnerUrlAllowed(url: string, field = "body.url"): Promise<void> {
  const host = new URL(url).hostname.replace(/^\[|\]$/g, "");
  let addresses: string[];
  if (isIP(host)) addresses = [host];
  else {
    try {
      addresses = (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);
    } catch (e) {
      throw new InvalidInputError(`invalid body: ${field.replace(/^body\./, "")}`, [
        {
          path: field,
          reason: `its host ${host} does not resolve (${(e as { code?: string }).code ?? "lookup failed"})`,
        },
      ]);
    }
  }
  for (const address of addresses) {
    const refusal = computeRunnerAddressRefusal(address);
    if (refusal)
      throw new InvalidInputError(`invalid body: ${field.replace(/^body\./, "")}`, [
        { path: field, reason: `may not point at ${refusal}` },
      ]);
  }
}
