using System;

namespace FastPath.Runtime.Affinity;

/// <summary>
/// What IPVS keys a persistence template by: the virtual service (address, port, protocol) and the client address
/// (netmask /32 or /128 as kube-proxy sets it).
/// </summary>
public readonly record struct PersistenceKey(UInt128 Service, ushort Port, byte Protocol, UInt128 Client)
{
    public ulong Hash => IpKey.Mix(IpKey.Hash(Client, IpKey.Hash(Service, ((ulong)Port << 8) | Protocol)));

    public static byte ProtocolNumber(string protocol) => protocol switch { "UDP" => 17, "SCTP" => 132, _ => 6 };
}
