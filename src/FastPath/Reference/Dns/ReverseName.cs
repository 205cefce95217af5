using System;
using System.Globalization;
using System.Net;
using System.Text;

namespace FastPath.Reference.Dns;

/// <summary>in-addr.arpa and ip6.arpa names (pkg/dnsutil/reverse.go).</summary>
public static class ReverseName
{
    /// <summary>The canonical address a full reverse name stands for; null for a partial or malformed name.</summary>
    public static string? ExtractAddress(string name)
    {
        name = name.TrimEnd('.');
        if (name.EndsWith(".in-addr.arpa", StringComparison.OrdinalIgnoreCase))
        {
            var parts = name.Substring(0, name.Length - ".in-addr.arpa".Length).Split('.');
            if (parts.Length != 4) return null;
            var bytes = new byte[4];
            for (int i = 0; i < 4; i++)
                if (!byte.TryParse(parts[3 - i], NumberStyles.None, CultureInfo.InvariantCulture, out bytes[i])) return null;
            return new IPAddress(bytes).ToString();
        }
        if (name.EndsWith(".ip6.arpa", StringComparison.OrdinalIgnoreCase))
        {
            var parts = name.Substring(0, name.Length - ".ip6.arpa".Length).Split('.');
            if (parts.Length != 32) return null;
            var sb = new StringBuilder();
            for (int i = 31; i >= 0; i--)
            {
                if (parts[i].Length != 1 || !Uri.IsHexDigit(parts[i][0])) return null;
                sb.Append(parts[i]);
            }
            var bytes = Convert.FromHexString(sb.ToString());
            return new IPAddress(bytes).ToString();
        }
        return null;
    }

    /// <summary>The reverse name of an address: 4.3.2.1.in-addr.arpa. or 32 nibbles under ip6.arpa.</summary>
    public static string For(IPAddress ip)
    {
        var b = ip.GetAddressBytes();
        if (b.Length == 4) return $"{b[3]}.{b[2]}.{b[1]}.{b[0]}.in-addr.arpa.";
        var sb = new StringBuilder();
        for (int i = 15; i >= 0; i--)
        {
            sb.Append((b[i] & 0xF).ToString("x", CultureInfo.InvariantCulture)).Append('.');
            sb.Append((b[i] >> 4).ToString("x", CultureInfo.InvariantCulture)).Append('.');
        }
        return sb.Append("ip6.arpa.").ToString();
    }
}
