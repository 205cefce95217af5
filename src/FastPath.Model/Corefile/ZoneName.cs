using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using FastPath.Model.Net;

namespace FastPath.Model.Corefile;

/// <summary>Zone normalisation as CoreDNS's plugin.Host does it: lower-case, fully qualified, CIDRs as reverse zones.</summary>
public static class ZoneName
{
    public static string? Normalize(string text)
    {
        if (text.Length == 0) return null;
        if (text.IndexOf('/') > 0) return FromCidr(text);
        var z = text.ToLowerInvariant();
        if (!z.EndsWith(".", System.StringComparison.Ordinal)) z += ".";
        if (z.Contains("..") && z != ".") return null;
        return z;
    }

    /// <summary>An octet- or nibble-aligned CIDR becomes its reverse zone (10.0.0.0/8 → 10.in-addr.arpa.).</summary>
    private static string? FromCidr(string text)
    {
        if (!Cidr.TryParse(text, out var cidr)) return null;
        var bytes = cidr.Network.GetAddressBytes();
        if (cidr.Family == IpFamily.IPv4)
        {
            if (cidr.Prefix % 8 != 0) return null;
            var octets = bytes.Take(cidr.Prefix / 8).Reverse().Select(b => b.ToString(CultureInfo.InvariantCulture));
            return string.Join(".", octets.Concat(["in-addr", "arpa"])) + ".";
        }
        if (cidr.Prefix % 4 != 0) return null;
        var nibbles = new List<string>();
        for (int i = 0; i < cidr.Prefix / 4; i++)
        {
            int b = bytes[i / 2];
            nibbles.Add(((i % 2 == 0 ? b >> 4 : b) & 0xF).ToString("x", CultureInfo.InvariantCulture));
        }
        nibbles.Reverse();
        return string.Join(".", nibbles.Concat(["ip6", "arpa"])) + ".";
    }

    /// <summary>Whether <paramref name="name"/> (lower-case, fully qualified) lies at or under <paramref name="zone"/>.</summary>
    public static bool IsSubdomain(string zone, string name)
    {
        if (zone == ".") return true;
        if (name.Length < zone.Length) return false;
        if (!name.EndsWith(zone, System.StringComparison.OrdinalIgnoreCase)) return false;
        return name.Length == zone.Length || name[name.Length - zone.Length - 1] == '.';
    }

    /// <summary>The longest zone that contains the name, as plugin.Zones.Matches picks it; null when none does.</summary>
    public static string? LongestMatch(IEnumerable<string> zones, string name)
    {
        string? best = null;
        foreach (var z in zones)
            if (IsSubdomain(z, name) && (best is null || z.Length > best.Length)) best = z;
        return best;
    }

    public static bool IsReverse(string zone) =>
        zone.EndsWith("in-addr.arpa.", System.StringComparison.OrdinalIgnoreCase) || zone.EndsWith("ip6.arpa.", System.StringComparison.OrdinalIgnoreCase);
}
