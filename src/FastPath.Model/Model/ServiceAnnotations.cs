using System.Collections.Generic;
using System.Globalization;

namespace FastPath.Model;

/// <summary>
/// FastPath's own Service annotations. kube-proxy's IPVS mode takes one scheduler for the whole node
/// (--ipvs-scheduler); FastPath lets each Service choose, and gives endpoints IPVS weights.
/// </summary>
public static class ServiceAnnotations
{
    /// <summary>The IPVS scheduler: rr (default), wrr, lc, sh or mh.</summary>
    public const string Scheduler = "fastpath.io/scheduler";
    /// <summary>Endpoint weights for wrr/sh/mh: <c>10.0.0.1=3,10.0.0.2=1</c>; unlisted endpoints weigh 1.</summary>
    public const string Weights = "fastpath.io/weights";

    public static IReadOnlyList<string> Schedulers => IpvsSchedulers.All;

    public static string SchedulerOf(Service s) => s.Annotations.TryGetValue(Scheduler, out var v) ? v : IpvsSchedulers.RoundRobin;

    /// <summary>Parses the weights annotation; null when it is malformed.</summary>
    public static Dictionary<string, int>? ParseWeights(string text)
    {
        var result = new Dictionary<string, int>();
        foreach (var part in text.Split(new[] { ',' }, System.StringSplitOptions.RemoveEmptyEntries))
        {
            var kv = part.Split('=');
            if (kv.Length != 2 || !int.TryParse(kv[1].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int w) || w > 65535) return null;
            result[kv[0].Trim()] = w;
        }
        return result;
    }

    public static int WeightOf(Service s, string ip) =>
        s.Annotations.TryGetValue(Weights, out var text) && ParseWeights(text) is { } map && map.TryGetValue(ip, out int w) ? w : 1;
}
