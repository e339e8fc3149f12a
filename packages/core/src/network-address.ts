/**
 * Addresses a registered runner URL may not point at (docs/security.md,
 * "Runners"): the server calls a runner every few seconds with its own
 * network position, so a URL aimed at a cloud metadata service would hand
 * its answers (credentials) to whoever registered it.
 */

function ipv4Octets(ip: string): number[] | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip);
  if (!m) return null;
  const o = m.slice(1).map(Number);
  return o.every((n) => n <= 255) ? o : null;
}

/** The eight 16-bit groups of an IPv6 address (with `::` and an embedded IPv4 tail), or null. */
function ipv6Groups(ip: string): number[] | null {
  let s = ip
    .toLowerCase()
    .replace(/^\[|\]$/g, "")
    .replace(/%.*$/, "");
  const tail = /(\d{1,3}(?:\.\d{1,3}){3})$/.exec(s);
  if (tail) {
    const o = ipv4Octets(tail[1]!);
    if (!o) return null;
    s = `${s.slice(0, -tail[1]!.length)}${((o[0]! << 8) | o[1]!).toString(16)}:${((o[2]! << 8) | o[3]!).toString(16)}`;
  }
  const halves = s.split("::");
  if (halves.length > 2) return null;
  const part = (h: string) => (h === "" ? [] : h.split(":"));
  const head = part(halves[0]!);
  const rest = halves.length === 2 ? part(halves[1]!) : [];
  const fill = halves.length === 2 ? 8 - head.length - rest.length : 0;
  if (fill < 0 || (halves.length === 1 && head.length !== 8)) return null;
  const groups = [...head, ...Array<string>(fill).fill("0"), ...rest];
  if (groups.length !== 8 || !groups.every((g) => /^[0-9a-f]{1,4}$/.test(g))) return null;
  return groups.map((g) => parseInt(g, 16));
}

/** Why a runner may not be reached at this IP address, or null when it may. */
export function computeRunnerAddressRefusal(ip: string): string | null {
  const v4 = ipv4Octets(ip);
  if (v4) {
    if (v4[0] === 169 && v4[1] === 254)
      return `${ip} is link-local (169.254.0.0/16: cloud metadata services live there)`;
    if (v4.every((o) => o === 0)) return `${ip} is not a host`;
    return null;
  }
  const v6 = ipv6Groups(ip);
  if (!v6) return `${ip} is not an IP address`;
  // IPv4-mapped (::ffff:a.b.c.d): judge the IPv4 address inside.
  if (v6.slice(0, 5).every((g) => g === 0) && v6[5] === 0xffff)
    return computeRunnerAddressRefusal(`${v6[6]! >> 8}.${v6[6]! & 255}.${v6[7]! >> 8}.${v6[7]! & 255}`);
  if ((v6[0]! & 0xffc0) === 0xfe80) return `${ip} is link-local (fe80::/10)`;
  if (v6[0] === 0xfd00 && v6[1] === 0x0ec2 && v6.slice(2, 7).every((g) => g === 0) && v6[7] === 0x254)
    return `${ip} is the cloud metadata service`;
  if (v6.every((g) => g === 0)) return `${ip} is not a host`;
  return null;
}
