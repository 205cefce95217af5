using System.Collections.Generic;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using FastPath.Model.Diagnostics;

namespace FastPath.Model.Loading;

/// <summary>
/// The API server's value checks, with its own messages (k8s.io/apimachinery/pkg/util/validation/validation.go and
/// pkg/apis/core/validation/validation.go). Each returns the list of messages, empty when the value is valid, as
/// upstream's <c>IsX</c> functions do.
/// </summary>
internal static class ApiRules
{
    public const int LabelValueMaxLength = 63, QualifiedNameMaxLength = 63, Dns1123LabelMaxLength = 63, Dns1035LabelMaxLength = 63;
    public const int Dns1123SubdomainMaxLength = 253;
    /// <summary>TotalAnnotationSizeLimitB: the sum of keys and values of one object's annotations.</summary>
    public const int TotalAnnotationSizeLimitB = 256 * 1024;

    private const string QualifiedNameFmt = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
    private const string QualifiedNameErrMsg = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
    private const string LabelValueFmt = "(" + QualifiedNameFmt + ")?";
    private const string LabelValueErrMsg = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
    private const string Dns1123LabelFmt = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
    private const string Dns1123LabelErrMsg = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";
    private const string Dns1123SubdomainFmt = Dns1123LabelFmt + "(\\." + Dns1123LabelFmt + ")*";
    private const string Dns1123SubdomainErrMsg = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
    private const string Dns1035LabelFmt = "[a-z]([-a-z0-9]*[a-z0-9])?";
    private const string Dns1035LabelErrMsg = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character";

    private static readonly Regex QualifiedName = new("^" + QualifiedNameFmt + "$", RegexOptions.CultureInvariant);
    private static readonly Regex LabelValue = new("^" + LabelValueFmt + "$", RegexOptions.CultureInvariant);
    private static readonly Regex Dns1123Label = new("^" + Dns1123LabelFmt + "$", RegexOptions.CultureInvariant);
    private static readonly Regex Dns1123Subdomain = new("^" + Dns1123SubdomainFmt + "$", RegexOptions.CultureInvariant);
    private static readonly Regex Dns1035Label = new("^" + Dns1035LabelFmt + "$", RegexOptions.CultureInvariant);

    public static string MaxLenError(int length) => $"must be no more than {length} characters";

    /// <summary>RegexError: the message, examples and the pattern, worded exactly as upstream prints them.</summary>
    public static string RegexError(string msg, string fmt, params string[] examples)
    {
        if (examples.Length == 0) return msg + " (regex used for validation is '" + fmt + "')";
        var sb = new StringBuilder(msg).Append(" (e.g. ");
        for (int i = 0; i < examples.Length; i++)
        {
            if (i > 0) sb.Append(" or ");
            sb.Append('\'').Append(examples[i]).Append("', ");
        }
        return sb.Append("regex used for validation is '").Append(fmt).Append("')").ToString();
    }

    /// <summary>IsQualifiedName: an optional DNS-1123 subdomain prefix and '/', then a name of at most 63 characters.</summary>
    public static List<string> IsQualifiedName(string value)
    {
        var errs = new List<string>();
        var parts = value.Split('/');
        string name;
        switch (parts.Length)
        {
            case 1: name = parts[0]; break;
            case 2:
                name = parts[1];
                if (parts[0].Length == 0) errs.Add("prefix part must be non-empty");
                else foreach (var m in IsDns1123Subdomain(parts[0])) errs.Add("prefix part " + m);
                break;
            default:
                errs.Add("a qualified name " + RegexError(QualifiedNameErrMsg, QualifiedNameFmt, "MyName", "my.name", "123-abc")
                    + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')");
                return errs;
        }
        if (name.Length == 0) errs.Add("name part must be non-empty");
        else if (name.Length > QualifiedNameMaxLength) errs.Add("name part " + MaxLenError(QualifiedNameMaxLength));
        if (name.Length > 0 && !QualifiedName.IsMatch(name))
            errs.Add("name part " + RegexError(QualifiedNameErrMsg, QualifiedNameFmt, "MyName", "my.name", "123-abc"));
        return errs;
    }

    public static List<string> IsValidLabelValue(string value)
    {
        var errs = new List<string>();
        if (value.Length > LabelValueMaxLength) errs.Add(MaxLenError(LabelValueMaxLength));
        if (!LabelValue.IsMatch(value)) errs.Add(RegexError(LabelValueErrMsg, LabelValueFmt, "MyValue", "my_value", "12345"));
        return errs;
    }

    public static List<string> IsDns1123Label(string value)
    {
        var errs = new List<string>();
        if (value.Length > Dns1123LabelMaxLength) errs.Add(MaxLenError(Dns1123LabelMaxLength));
        if (!Dns1123Label.IsMatch(value)) errs.Add(RegexError(Dns1123LabelErrMsg, Dns1123LabelFmt, "my-name", "123-abc"));
        return errs;
    }

    public static List<string> IsDns1123Subdomain(string value)
    {
        var errs = new List<string>();
        if (value.Length > Dns1123SubdomainMaxLength) errs.Add(MaxLenError(Dns1123SubdomainMaxLength));
        if (!Dns1123Subdomain.IsMatch(value)) errs.Add(RegexError(Dns1123SubdomainErrMsg, Dns1123SubdomainFmt, "example.com"));
        return errs;
    }

    public static List<string> IsDns1035Label(string value)
    {
        var errs = new List<string>();
        if (value.Length > Dns1035LabelMaxLength) errs.Add(MaxLenError(Dns1035LabelMaxLength));
        if (!Dns1035Label.IsMatch(value)) errs.Add(RegexError(Dns1035LabelErrMsg, Dns1035LabelFmt, "my-name", "abc-123"));
        return errs;
    }

    private const string LoopbackRange = "may not be in the loopback range (127.0.0.0/8, ::1/128)";

    /// <summary>
    /// An endpoint's address: special addresses are errors, except loopback, which the API server refuses but
    /// kube-proxy and CoreDNS serve as given (local development, real backends on 127.0.0.1): a FP0066 warning.
    /// </summary>
    public static bool CheckEndpointIp(YNode node, string ip, string? path = null)
    {
        var errs = NonSpecialIp(ip);
        if (errs.Remove(LoopbackRange))
            node.Bag.Report(Descriptors.ApiServerWouldRefuse, node.Location, $"{path ?? node.Path}: Invalid value: {Show(ip)}: {LoopbackRange}");
        return node.Check(errs, ip, path);
    }

    /// <summary>ValidateNonSpecialIP: addresses that make no sense as an endpoint or external IP.</summary>
    public static List<string> NonSpecialIp(string text)
    {
        var errs = new List<string>();
        if (!IPAddress.TryParse(text, out var ip)) { errs.Add("must be a valid IP address"); return errs; }
        if (ip.IsIPv4MappedToIPv6) ip = ip.MapToIPv4();
        var b = ip.GetAddressBytes();
        bool v4 = ip.AddressFamily == AddressFamily.InterNetwork;
        if (ip.Equals(IPAddress.Any) || ip.Equals(IPAddress.IPv6Any)) errs.Add("may not be unspecified (0.0.0.0)");
        if (IPAddress.IsLoopback(ip)) errs.Add(LoopbackRange);
        if ((v4 && b[0] == 169 && b[1] == 254) || (!v4 && b[0] == 0xfe && (b[1] & 0xc0) == 0x80))
            errs.Add("may not be in the link-local range (169.254.0.0/16, fe80::/10)");
        if ((v4 && b[0] == 224 && b[1] == 0 && b[2] == 0) || (!v4 && b[0] == 0xff && (b[1] & 0x0f) == 0x02))
            errs.Add("may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)");
        return errs;
    }

    /// <summary>A value as field.Error prints it: strings quoted as Go's %q does, numbers bare.</summary>
    public static string Show(object? value) => value switch
    {
        null => "null",
        string s => Quote(s.Length > 256 ? s.Substring(0, 256) + "…" : s),
        int i => i.ToString(CultureInfo.InvariantCulture),
        long l => l.ToString(CultureInfo.InvariantCulture),
        _ => System.Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };

    public static string Quote(string s)
    {
        var sb = new StringBuilder(s.Length + 2).Append('"');
        foreach (char c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\t': sb.Append("\\t"); break;
                case '\r': sb.Append("\\r"); break;
                default:
                    if (c < 0x20) sb.Append("\\x").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
                    else sb.Append(c);
                    break;
            }
        }
        return sb.Append('"').ToString();
    }
}
