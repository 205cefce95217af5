using System.Collections.Generic;
using System.Linq;
using FastPath.Model.Diagnostics;

namespace FastPath.Model.Corefile.Plugins;

public enum PodMode { Disabled, Insecure, Verified }

/// <summary>The kubernetes plugin's options (plugin/kubernetes/setup.go).</summary>
public sealed record KubernetesOptions
{
    /// <summary>Authoritative zones, lower-case and fully qualified, in Corefile order.</summary>
    public IReadOnlyList<string> Zones { get; init; } = [];
    public PodMode Pods { get; init; } = PodMode.Disabled;
    public bool EndpointPodNames { get; init; }
    public int Ttl { get; init; } = 5;
    /// <summary>null: no fallthrough; empty: every zone; else only names under these zones.</summary>
    public IReadOnlyList<string>? Fallthrough { get; init; }
    /// <summary>Exposed namespaces; empty means all.</summary>
    public IReadOnlyList<string> Namespaces { get; init; } = [];
    public bool IgnoreEmptyService { get; init; }
    public bool NoEndpoints { get; init; }

    /// <summary>The first zone that is not a reverse zone: PTR and SRV targets are written in it.</summary>
    public string? PrimaryZone => Zones.FirstOrDefault(z => !ZoneName.IsReverse(z));

    public bool FallsThrough(string lowerName) =>
        Fallthrough is not null && (Fallthrough.Count == 0 || Fallthrough.Any(z => ZoneName.IsSubdomain(z, lowerName)));

    internal static KubernetesOptions Parse(Directive d, ServerBlock block, DiagnosticBag bag)
    {
        var zones = NormalizeZones(d, 0, d.Args.Count, bag);
        if (zones.Count == 0) zones = block.Keys.Select(k => k.Zone).Distinct().ToList();
        var o = new KubernetesOptions { Zones = zones };
        foreach (var opt in d.Block)
        {
            switch (opt.Name)
            {
                case "pods":
                    var mode = opt.Args.Count == 1 ? opt.Args[0] : "";
                    if (mode is "disabled" or "insecure" or "verified") o = o with { Pods = mode == "disabled" ? PodMode.Disabled : mode == "insecure" ? PodMode.Insecure : PodMode.Verified };
                    else bag.Report(Descriptors.PluginOption, opt.Location, "kubernetes", "pods takes one of disabled, insecure, verified");
                    break;
                case "endpoint_pod_names": PluginArgs.NoArgs(opt, bag); o = o with { EndpointPodNames = true }; break;
                case "ttl":
                    if (opt.Args.Count != 1) bag.Report(Descriptors.PluginOption, opt.Location, "kubernetes", "ttl takes one number from 0 to 3600");
                    else if (PluginArgs.Int(opt, 0, 0, 3600, bag, "ttl") is int ttl) o = o with { Ttl = ttl };
                    break;
                case "fallthrough": o = o with { Fallthrough = NormalizeZones(opt, 0, opt.Args.Count, bag) }; break;
                case "namespaces":
                    if (opt.Args.Count == 0) bag.Report(Descriptors.PluginOption, opt.Location, "kubernetes", "namespaces needs at least one namespace");
                    o = o with { Namespaces = opt.Args.ToList() };
                    break;
                case "ignore":
                    if (opt.Args.Count == 1 && opt.Args[0] == "empty_service") o = o with { IgnoreEmptyService = true };
                    else bag.Report(Descriptors.PluginOption, opt.Location, "kubernetes", "ignore takes 'empty_service'");
                    break;
                case "noendpoints": PluginArgs.NoArgs(opt, bag); o = o with { NoEndpoints = true }; break;
                // Options about reaching the API server or features FastPath does not model: accepted, no effect offline.
                case "kubeconfig": case "endpoint": case "tls": case "labels": case "namespace_labels":
                case "startup_timeout": case "apiserver_qps": case "apiserver_burst": case "apiserver_max_inflight":
                    bag.Report(Descriptors.HeadlessWithPolicy, opt.Location, "kubernetes option '" + opt.Name + "'");
                    break;
                case "multicluster": case "zonal":
                    bag.Report(Descriptors.PluginOption, opt.Location, "kubernetes", $"'{opt.Name}' is not supported by FastPath");
                    break;
                default: PluginArgs.Unknown(d, opt, bag); break;
            }
        }
        return o;
    }

    internal static List<string> NormalizeZones(Directive d, int from, int to, DiagnosticBag bag)
    {
        var zones = new List<string>();
        for (int i = from; i < to; i++)
        {
            var z = ZoneName.Normalize(d.Args[i]);
            if (z is null) bag.Report(Descriptors.PluginOption, d.ArgLocation(i), d.Name, $"'{d.Args[i]}' is not a valid zone");
            else zones.Add(z);
        }
        return zones;
    }
}
