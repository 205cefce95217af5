using FastPath.Model.Diagnostics;

namespace FastPath.Model.Loading;

internal static class ProtocolReader
{
    /// <summary>TCP by default; lower-case names load with a warning, as kube-proxy and CoreDNS upper-case them.</summary>
    public static string Read(YNode owner, string key = "protocol")
    {
        var n = owner.Get(key);
        var p = n?.AsString();
        if (n is null || string.IsNullOrEmpty(p)) return "TCP";
        switch (p)
        {
            case "TCP": case "UDP": case "SCTP": return p!;
        }
        var upper = p!.ToUpperInvariant();
        if (upper is "TCP" or "UDP" or "SCTP")
        {
            owner.Bag.Report(Descriptors.LowerCaseProtocol, n.Location, n.Path, p, upper);
            return upper;
        }
        owner.Bag.Report(Descriptors.InvalidEnum, n.Location, n.Path, p, "TCP, UDP, SCTP");
        return "TCP";
    }
}
