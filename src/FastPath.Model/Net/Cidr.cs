using System;
using System.Globalization;
using System.Net;
using System.Numerics;

namespace FastPath.Model.Net;

/// <summary>An address range such as 10.96.0.0/12, with arithmetic on offsets for deterministic allocation.</summary>
public sealed class Cidr
{
    private Cidr(IPAddress network, int prefix, string text)
    {
        Network = network; Prefix = prefix; Text = text;
        Bits = network.GetAddressBytes().Length * 8;
        _base = ToBig(network.GetAddressBytes());
        Size = BigInteger.One << (Bits - prefix);
    }

    private readonly BigInteger _base;
    public IPAddress Network { get; }
    public int Prefix { get; }
    public int Bits { get; }
    public BigInteger Size { get; }
    public string Text { get; }
    public IpFamily Family => Bits == 128 ? IpFamily.IPv6 : IpFamily.IPv4;

    public static bool TryParse(string text, out Cidr cidr)
    {
        cidr = null!;
        int slash = text.IndexOf('/');
        if (slash < 0) return false;
        if (!IpText.TryParse(text.Substring(0, slash), out var ip)) return false;
        if (!int.TryParse(text.Substring(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int prefix)) return false;
        int bits = ip.GetAddressBytes().Length * 8;
        if (prefix < 0 || prefix > bits) return false;
        var masked = ToBig(ip.GetAddressBytes()) >> (bits - prefix) << (bits - prefix);
        cidr = new Cidr(FromBig(masked, bits / 8), prefix, text);
        return true;
    }

    public bool Contains(IPAddress a)
    {
        var b = a.GetAddressBytes();
        if (b.Length * 8 != Bits) return false;
        var v = ToBig(b);
        return v >= _base && v < _base + Size;
    }

    public IPAddress At(BigInteger offset) => FromBig(_base + offset, Bits / 8);

    private static BigInteger ToBig(byte[] bytes)
    {
        var le = new byte[bytes.Length + 1];
        for (int i = 0; i < bytes.Length; i++) le[i] = bytes[bytes.Length - 1 - i];
        return new BigInteger(le);
    }

    private static IPAddress FromBig(BigInteger v, int len)
    {
        var le = v.ToByteArray();
        var be = new byte[len];
        for (int i = 0; i < len && i < le.Length; i++) be[len - 1 - i] = le[i];
        return new IPAddress(be);
    }

    public override string ToString() => Text;
}
