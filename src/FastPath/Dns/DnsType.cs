using System;
using System.Collections.Generic;
using System.Globalization;

namespace FastPath.Dns;

/// <summary>RR types FastPath answers or names (IANA numbers).</summary>
public enum DnsType : ushort
{
    A = 1, NS = 2, CNAME = 5, SOA = 6, PTR = 12, HINFO = 13, MX = 15, TXT = 16, AAAA = 28, SRV = 33, NAPTR = 35,
    DS = 43, OPT = 41, RRSIG = 46, DNSKEY = 48, SVCB = 64, HTTPS = 65, IXFR = 251, AXFR = 252, ANY = 255, CAA = 257,
}

public enum DnsClass : ushort { IN = 1, CH = 3, HS = 4, NONE = 254, ANY = 255 }

public enum Rcode : ushort { NoError = 0, FormErr = 1, ServFail = 2, NXDomain = 3, NotImp = 4, Refused = 5 }

public static class DnsNaming
{
    private static readonly Dictionary<string, DnsType> ByName = new(StringComparer.OrdinalIgnoreCase);

    static DnsNaming()
    {
        foreach (DnsType t in Enum.GetValues<DnsType>()) ByName[t.ToString()] = t;
    }

    /// <summary>Reads a mnemonic (A, srv) or RFC 3597's TYPEnnn.</summary>
    public static bool TryParseType(string text, out DnsType type)
    {
        if (ByName.TryGetValue(text, out type)) return true;
        if (text.StartsWith("TYPE", StringComparison.OrdinalIgnoreCase) &&
            ushort.TryParse(text.AsSpan(4), NumberStyles.None, CultureInfo.InvariantCulture, out var n))
        {
            type = (DnsType)n;
            return true;
        }
        return false;
    }

    public static string TypeText(DnsType t) => Enum.IsDefined(t) ? t.ToString() : "TYPE" + ((ushort)t).ToString(CultureInfo.InvariantCulture);

    public static string ClassText(DnsClass c) => Enum.IsDefined(c) ? c.ToString() : "CLASS" + ((ushort)c).ToString(CultureInfo.InvariantCulture);

    /// <summary>dig's spelling of an rcode.</summary>
    public static string RcodeText(Rcode r) => r switch
    {
        Rcode.NoError => "NOERROR", Rcode.FormErr => "FORMERR", Rcode.ServFail => "SERVFAIL",
        Rcode.NXDomain => "NXDOMAIN", Rcode.NotImp => "NOTIMP", Rcode.Refused => "REFUSED",
        _ => "RCODE" + ((ushort)r).ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>Fully qualified: a trailing dot added when missing ("." stays ".").</summary>
    public static string Fqdn(string name) => name.EndsWith('.') ? name : name + ".";
}
