using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace FastPath.Model.Kubelet;

/// <summary>
/// A pod's /etc/resolv.conf as the kubelet hands it to the container runtime (CRI DNSConfig): nameservers, search
/// domains and options, in order. <see cref="ToString"/> writes the file as containerd and CRI-O do.
/// </summary>
public sealed class ResolvConf
{
    public ResolvConf(IReadOnlyList<string> nameservers, IReadOnlyList<string> searches, IReadOnlyList<string> options)
    {
        Nameservers = nameservers; Searches = searches; Options = options;
    }

    public IReadOnlyList<string> Nameservers { get; }
    public IReadOnlyList<string> Searches { get; }
    /// <summary>Each option as written: "ndots:5", "single-request".</summary>
    public IReadOnlyList<string> Options { get; }

    /// <summary>The value of an option ("ndots" → "5"); null when absent, "" when it has no value.</summary>
    public string? Option(string name)
    {
        string? found = null;
        foreach (var o in Options)
        {
            int colon = o.IndexOf(':');
            var n = colon < 0 ? o : o.Substring(0, colon);
            if (n == name) found = colon < 0 ? "" : o.Substring(colon + 1); // the last one wins, as res_init reads them
        }
        return found;
    }

    /// <summary>glibc's ndots: 1 unless set; res_init caps it at 15 (RES_MAXNDOTS).</summary>
    public int Ndots
    {
        get
        {
            var v = Option("ndots");
            if (v is null || !int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out int n)) return 1;
            return Math.Min(n, 15);
        }
    }

    /// <summary>
    /// The file: a search line, one nameserver line each, an options line, each only when non-empty
    /// (containerd's parseDNSOptions / GenerateResolvConfContent).
    /// </summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        if (Searches.Count > 0) sb.Append("search ").Append(string.Join(" ", Searches)).Append('\n');
        foreach (var ns in Nameservers) sb.Append("nameserver ").Append(ns).Append('\n');
        if (Options.Count > 0) sb.Append("options ").Append(string.Join(" ", Options)).Append('\n');
        return sb.ToString();
    }

    /// <summary>
    /// Reads a host file as the kubelet does (parseResolvConf): nameserver lines accumulate, the last search line
    /// wins (a trailing dot dropped from each domain), the last options line wins; comments and every other line
    /// (domain included) are ignored. A nameserver line without an address is an error, as the kubelet reports it.
    /// </summary>
    public static ResolvConf Parse(string text, out IReadOnlyList<string> errors)
    {
        var nameservers = new List<string>();
        var searches = new List<string>();
        var options = new List<string>();
        var errs = new List<string>();
        int line = 0;
        foreach (var raw in text.Split('\n'))
        {
            line++;
            var trimmed = raw.Trim();
            if (trimmed.StartsWith("#", StringComparison.Ordinal)) continue;
            var fields = trimmed.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length == 0) continue;
            switch (fields[0])
            {
                case "nameserver":
                    if (fields.Length >= 2) nameservers.Add(fields[1]);
                    else errs.Add($"line {line}: nameserver list is empty");
                    break;
                case "search":
                    searches = new List<string>();
                    for (int i = 1; i < fields.Length; i++) searches.Add(fields[i].EndsWith(".", StringComparison.Ordinal) ? fields[i].Substring(0, fields[i].Length - 1) : fields[i]);
                    break;
                case "options":
                    options = new List<string>();
                    for (int i = 1; i < fields.Length; i++) options.Add(fields[i]);
                    break;
            }
        }
        errors = errs;
        return new ResolvConf(nameservers, searches, options);
    }
}
