using System;
using FastPath.Model.Tables;

namespace FastPath.Runtime.Affinity;

/// <summary>
/// What IPVS keys a persistence template by: the virtual service (address, port, protocol) and the client address
/// (netmask /32 or /128 as kube-proxy sets it).
/// </summary>
public readonly record struct PersistenceKey(UInt128 Service, ushort Port, byte Protocol, UInt128 Client)
{
    /// <summary>Independent multiplies of the four address halves and the port, folded by one final mix.</summary>
    public ulong Hash => HashOf(Client, ServiceHash(Service, Port, Protocol));

    /// <summary>The virtual service's share of <see cref="Hash"/>: the same for all its clients, so a selector computes it once.</summary>
    internal static ulong ServiceHash(UInt128 service, ushort port, byte protocol) =>
        ((ulong)service * 0xC2B2AE3D27D4EB4FUL) ^ ((ulong)(service >> 64) * 0x165667B19E3779F9UL) ^ ((((ulong)port << 8) | protocol) * 0x27D4EB2F165667C5UL);

    /// <summary><see cref="Hash"/> from the client and its service's precomputed share.</summary>
    internal static ulong HashOf(UInt128 client, ulong serviceHash) =>
        SplitMix64.Mix((ulong)client ^ ((ulong)(client >> 64) * 0x9E3779B97F4A7C15UL) ^ serviceHash);

    public static byte ProtocolNumber(string protocol) => protocol switch { "UDP" => 17, "SCTP" => 132, _ => 6 };
}
