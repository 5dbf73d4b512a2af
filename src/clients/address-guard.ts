// Where the server may connect when it fetches a client's metadata document or keys (CIMD-03,
// EC-41): public unicast addresses only. The ranges are ipaddr.js's, not a table of our own;
// IPv4-mapped IPv6 is judged as the IPv4 address it carries.
import ipaddr from 'ipaddr.js';

export function isPublicAddress(address: string): boolean {
  const bare = address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address;
  if (!ipaddr.isValid(bare)) return false;
  let parsed = ipaddr.parse(bare);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  // Everything ipaddr.js names (private, loopback, link-local, multicast, NAT64, 6to4, reserved, ...) is refused.
  return parsed.range() === 'unicast';
}
