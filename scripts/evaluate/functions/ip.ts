/** IPv4/IPv6 functions over the IP helpers in ../ip.ts. */
import { ipv4Compare, ipv4IsInAnyRange, ipv4IsInRange, ipv4IsPrivate, ipv6Compare, parseIPv4 } from '../../model/ip.ts';
import type { Value } from '../values.ts';
import type { ScalarFn } from './common.ts';
import { flattenArgs, int, str } from './common.ts';

const ipArg = (v: Value | undefined): string | null => (v === null || v === undefined ? null : str(v));

function ipFn(f: (...a: string[]) => Value, arity: number): ScalarFn {
  return (args) => {
    const xs = args.slice(0, arity).map(ipArg);
    return xs.some((x) => x === null) ? null : f(...(xs as string[]));
  };
}

function optionalPrefix(args: Value[], f: (a: string, b: string, p?: number | null) => Value): Value {
  const a = ipArg(args[0]);
  const b = ipArg(args[1]);
  if (a === null || b === null) return null;
  return f(a, b, args.length > 2 ? int(args[2]) : undefined);
}

export const ipFunctions: Record<string, ScalarFn> = {
  // network
  ipv4_is_in_range: ipFn(ipv4IsInRange, 2),
  ipv4_is_in_any_range: (args) => {
    const ip = ipArg(args[0]);
    if (ip === null) return null;
    const ranges = flattenArgs(args.slice(1)).filter((r) => r !== null).map((r) => str(r));
    return ipv4IsInAnyRange(ip, ranges);
  },
  ipv4_compare: (args) => optionalPrefix(args, ipv4Compare),
  ipv4_is_match: (args) => {
    const c = optionalPrefix(args, ipv4Compare);
    return c === null ? null : c === 0;
  },
  ipv4_is_private: ipFn(ipv4IsPrivate, 1),
  ipv6_compare: (args) => optionalPrefix(args, ipv6Compare),
  ipv6_is_match: (args) => {
    const c = optionalPrefix(args, ipv6Compare);
    return c === null ? null : c === 0;
  },
  ipv6_is_in_range: (args) => {
    const c = optionalPrefix(args, ipv6Compare);
    return c === null ? null : c === 0;
  },
  ipv6_is_in_any_range: (args) => {
    const ip = ipArg(args[0]);
    if (ip === null) return null;
    const ranges = flattenArgs(args.slice(1)).filter((r) => r !== null).map((r) => str(r));
    const results = ranges.map((r) => ipv6Compare(ip, r));
    if (results.some((c) => c === 0)) return true;
    return results.some((c) => c !== null) || ranges.length === 0 ? false : null;
  },
  parse_ipv4: ([v]) => (v === null || v === undefined ? null : parseIPv4(str(v))),
};
