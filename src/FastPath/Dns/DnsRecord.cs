using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;

namespace FastPath.Dns;

/// <summary>Record data, printed as dig prints it.</summary>
public abstract record RData
{
    public abstract string ToText();
}

public sealed record AddressData(IPAddress Address) : RData
{
    public override string ToText() => Address.ToString();
}

/// <summary>A name-valued rdata: CNAME, PTR or NS target.</summary>
public sealed record NameData(string Target) : RData
{
    public override string ToText() => Target;
}

public sealed record SrvData(ushort Priority, ushort Weight, ushort Port, string Target) : RData
{
    public override string ToText() => string.Create(CultureInfo.InvariantCulture, $"{Priority} {Weight} {Port} {Target}");
}

public sealed record SoaData(string MName, string RName, uint Serial, uint Refresh, uint Retry, uint Expire, uint Minimum) : RData
{
    public override string ToText() => string.Create(CultureInfo.InvariantCulture, $"{MName} {RName} {Serial} {Refresh} {Retry} {Expire} {Minimum}");
}

public sealed record TxtData(IReadOnlyList<string> Strings) : RData
{
    public override string ToText() => string.Join(" ", Strings.Select(s => "\"" + s.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\""));
    public bool Equals(TxtData? other) => other is not null && Strings.SequenceEqual(other.Strings);
    public override int GetHashCode() => Strings.Count == 0 ? 0 : Strings[0].GetHashCode();
}

/// <summary>One resource record. The owner keeps the spelling it was given (DNS names compare case-insensitively).</summary>
public sealed record DnsRecord(string Name, DnsType Type, uint Ttl, RData Data, DnsClass Class = DnsClass.IN)
{
    /// <summary>Zone-file form as dig prints it: owner, TTL, class, type, rdata separated by tabs.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Name}\t{Ttl}\t{DnsNaming.ClassText(Class)}\t{DnsNaming.TypeText(Type)}\t{Data.ToText()}");

    public DnsRecord WithTtl(uint ttl) => this with { Ttl = ttl };

    public static DnsRecord Address(string name, uint ttl, IPAddress ip) =>
        new(name, ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? DnsType.AAAA : DnsType.A, ttl, new AddressData(ip));
}

/// <summary>Rdata FastPath does not interpret, printed in RFC 3597's generic form.</summary>
public sealed record OpaqueData(byte[] Bytes) : RData
{
    public override string ToText() => $"\\# {Bytes.Length} {Convert.ToHexString(Bytes)}";
    public bool Equals(OpaqueData? other) => other is not null && Bytes.AsSpan().SequenceEqual(other.Bytes);
    public override int GetHashCode() => Bytes.Length;
}
