import { describe, expect, it } from "vitest";
import { computeRunnerAddressRefusal } from "./network-address";

describe("computeRunnerAddressRefusal", () => {
  it.each([
    ["169.254.169.254", /link-local/],
    ["169.254.0.1", /link-local/],
    ["0.0.0.0", /not a host/],
    ["fd00:ec2::254", /metadata/],
    ["FD00:0EC2:0:0:0:0:0:254", /metadata/],
    ["fe80::1", /link-local/],
    ["febf::1", /link-local/],
    ["::ffff:169.254.169.254", /link-local/],
    ["::ffff:a9fe:a9fe", /link-local/],
    ["::", /not a host/],
    ["[fd00:ec2::254]", /metadata/],
    ["fe80::1%eth0", /link-local/],
    ["not-an-ip", /not an IP/],
    ["1.2.3.256", /not an IP/],
    ["1::2::3", /not an IP/],
  ])("refuses %s", (ip, reason) => {
    expect(computeRunnerAddressRefusal(ip)).toMatch(reason);
  });

  it.each([
    "127.0.0.1",
    "10.0.0.5",
    "192.168.1.20",
    "169.253.255.255",
    "169.255.0.1",
    "::1",
    "2001:db8::1",
    "fd00:ec2::253",
    "fec0::1",
    "::ffff:10.0.0.1",
  ])("allows %s", (ip) => {
    expect(computeRunnerAddressRefusal(ip)).toBeNull();
  });
});
