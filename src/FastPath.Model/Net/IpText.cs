using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace FastPath.Model.Net;

/// <summary>Strict IP parsing and canonical text, as Go's net.ParseIP and netip.Addr.String do.</summary>
public static class IpText
{
    /// <summary>Parses a dotted-quad IPv4 or an IPv6 address; rejects the short forms IPAddress accepts ("10.1", "1").</summary>
    public static bool TryParse(string? text, out IPAddress address)
    {
        address = IPAddress.None;
        if (string.IsNullOrEmpty(text)) return false;
        if (text!.IndexOf(':') >= 0)
        {
            if (text.IndexOf('%') >= 0 || text.IndexOf('/') >= 0 || text.IndexOf('[') >= 0) return false;
            if (!IPAddress.TryParse(text, out var a6) || a6.AddressFamily != AddressFamily.InterNetworkV6) return false;
            address = a6;
            return true;
        }
        var parts = text.Split('.');
        if (parts.Length != 4) return false;
        var bytes = new byte[4];
        for (int i = 0; i < 4; i++)
        {
            var p = parts[i];
            if (p.Length == 0 || p.Length > 3) return false;
            foreach (char c in p) if (c < '0' || c > '9') return false;
            if (p.Length > 1 && p[0] == '0') return false; // Go rejects leading zeros (ambiguous octal)
            int v = int.Parse(p, CultureInfo.InvariantCulture);
            if (v > 255) return false;
            bytes[i] = (byte)v;
        }
        address = new IPAddress(bytes);
        return true;
    }

    public static bool IsValid(string? text) => TryParse(text, out _);

    /// <summary>Canonical text (lower-case, compressed IPv6; an IPv4-mapped address stays IPv6 as Go prints it).</summary>
    public static string Canonical(IPAddress a) => a.ToString();

    public static string? CanonicalOrNull(string? text) => TryParse(text, out var a) ? Canonical(a) : null;

    public static IpFamily FamilyOf(IPAddress a) => a.AddressFamily == AddressFamily.InterNetworkV6 ? IpFamily.IPv6 : IpFamily.IPv4;

    public static bool IsIPv6(string text) => text.IndexOf(':') >= 0;
}
