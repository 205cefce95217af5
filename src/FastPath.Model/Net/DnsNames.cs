using System.Text.RegularExpressions;

namespace FastPath.Model.Net;

/// <summary>Kubernetes' name validators (apimachinery/pkg/util/validation).</summary>
public static class DnsNames
{
    private static readonly Regex Label1035 = new("^[a-z]([-a-z0-9]*[a-z0-9])?$", RegexOptions.CultureInvariant);
    private static readonly Regex Label1123 = new("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", RegexOptions.CultureInvariant);
    private static readonly Regex PortName = new("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", RegexOptions.CultureInvariant);

    public static bool IsDns1035Label(string s) => s.Length <= 63 && Label1035.IsMatch(s);
    public static bool IsDns1123Label(string s) => s.Length <= 63 && Label1123.IsMatch(s);

    public static bool IsDns1123Subdomain(string s)
    {
        if (s.Length == 0 || s.Length > 253) return false;
        foreach (var label in s.Split('.'))
            if (!IsDns1123Label(label)) return false;
        return true;
    }

    /// <summary>IANA_SVC_NAME: at most 15 characters, a letter somewhere, no "--", no leading or trailing '-'.</summary>
    public static bool IsPortName(string s)
    {
        if (s.Length == 0 || s.Length > 15 || !PortName.IsMatch(s) || s.Contains("--")) return false;
        foreach (char c in s) if (c >= 'a' && c <= 'z') return true;
        return false;
    }
}
