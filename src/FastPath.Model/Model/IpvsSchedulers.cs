using System.Collections.Generic;

namespace FastPath.Model;

/// <summary>
/// The IPVS schedulers FastPath implements, by IPVS's own names. The one list: the loader checks a Service's
/// <see cref="ServiceAnnotations.Scheduler"/> against it, and the run-time schedulers are made from these names.
/// </summary>
public static class IpvsSchedulers
{
    public const string RoundRobin = "rr";
    public const string WeightedRoundRobin = "wrr";
    public const string LeastConnection = "lc";
    public const string SourceHash = "sh";
    public const string Maglev = "mh";

    public static readonly IReadOnlyList<string> All = [RoundRobin, WeightedRoundRobin, LeastConnection, SourceHash, Maglev];
}
