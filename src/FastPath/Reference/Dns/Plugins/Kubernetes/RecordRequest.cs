namespace FastPath.Reference.Dns;

/// <summary>
/// A name inside a kubernetes zone, read right to left (plugin/kubernetes/parse.go):
/// <c>[_port._proto. | endpoint.] service.namespace.(svc|pod).zone</c>.
/// </summary>
internal sealed record RecordRequest(string PodOrSvc, string Namespace, string Service, string Endpoint, string Port, string Protocol)
{
    public static readonly RecordRequest Empty = new("", "", "", "", "", "");

    /// <summary>Parses the lower-cased name; null means an invalid name (NXDOMAIN).</summary>
    public static RecordRequest? Parse(string name, string zone)
    {
        string bas = TrimZone(name, zone);
        if (bas == "" || bas == "svc" || bas == "pod") return Empty; // apex-like names answer NODATA
        var segs = SplitLabels(bas);
        int last = segs.Length - 1;
        var podOrSvc = segs[last];
        if (podOrSvc != "svc" && podOrSvc != "pod") return null;
        string ns = "", svc = "", ep = "", port = "", proto = "";
        if (--last >= 0) ns = segs[last];
        if (last >= 0 && --last >= 0) svc = segs[last];
        if (last >= 0 && --last >= 0)
        {
            switch (last)
            {
                case 0: ep = segs[0]; break;
                case 1: proto = StripUnderscore(segs[1]); port = StripUnderscore(segs[0]); break;
                default: return null; // too many labels
            }
        }
        return new RecordRequest(podOrSvc, ns, svc, ep, port, proto);
    }

    /// <summary>The name without the zone and its dot, compared case-insensitively.</summary>
    public static string TrimZone(string name, string zone)
    {
        if (zone == ".") return name.TrimEnd('.');
        if (name.Length <= zone.Length) return "";
        return name.Substring(0, name.Length - zone.Length - 1);
    }

    /// <summary>
    /// Splits at the dots between labels, not at escaped ones (<c>\.</c> is a dot inside a label), as miekg/dns's
    /// SplitDomainName does: a label holding a dot is one label, not two.
    /// </summary>
    internal static string[] SplitLabels(string name)
    {
        var labels = new System.Collections.Generic.List<string>();
        int start = 0;
        for (int i = 0; i < name.Length; i++)
        {
            if (name[i] == '\\') { i++; continue; } // the escaped character (or the first digit of \DDD) is in the label
            if (name[i] != '.') continue;
            labels.Add(name.Substring(start, i - start));
            start = i + 1;
        }
        labels.Add(name.Substring(start));
        return labels.ToArray();
    }

    private static string StripUnderscore(string s) => s.StartsWith('_') ? s.Substring(1) : s;
}
