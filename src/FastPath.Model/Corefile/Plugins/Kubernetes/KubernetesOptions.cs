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
        if (zones.Count > 0 && zones.TrueForAll(ZoneName.IsReverse)) PluginArgs.Error(d, "kubernetes", "non-reverse zone name must be used", bag);
        bool namespacesSet = false, namespaceLabelsSet = false;
        foreach (var opt in d.Block)
        {
            var a = opt.Args;
            switch (opt.Name)
            {
                case "pods":
                    var mode = a.Count == 1 ? a[0] : "";
                    if (mode is "disabled" or "insecure" or "verified") o = o with { Pods = mode == "disabled" ? PodMode.Disabled : mode == "insecure" ? PodMode.Insecure : PodMode.Verified };
                    else PluginArgs.Error(opt, "kubernetes", a.Count == 1 ? $"wrong value for pods: {a[0]},  must be one of: disabled, verified, insecure" : "pods takes one of disabled, insecure, verified", bag);
                    break;
                case "endpoint_pod_names": PluginArgs.NoArgs(opt, bag); o = o with { EndpointPodNames = true }; break;
                case "ttl":
                    if (a.Count == 0) PluginArgs.Error(opt, "kubernetes", "ttl needs a number from 0 to 3600", bag);
                    else if (!PluginArgs.TryAtoi(a[0], out long ttl)) PluginArgs.Error(opt, "kubernetes", $"ttl '{a[0]}' is not a number", bag, 0);
                    else if (ttl < 0 || ttl > 3600) PluginArgs.Error(opt, "kubernetes", $"ttl must be in range [0, 3600]: {ttl}", bag, 0);
                    else o = o with { Ttl = (int)ttl };
                    break;
                case "fallthrough": o = o with { Fallthrough = NormalizeZones(opt, 0, a.Count, bag) }; break;
                case "namespaces":
                    if (a.Count == 0) { PluginArgs.Error(opt, "kubernetes", "namespaces needs at least one namespace", bag); break; }
                    namespacesSet = true;
                    o = o with { Namespaces = a.ToList() };
                    break;
                case "ignore":
                    // `ignore` alone is accepted and does nothing, as in CoreDNS; only its first argument is read.
                    if (a.Count == 0) break;
                    if (a[0] == "empty_service") o = o with { IgnoreEmptyService = true };
                    else PluginArgs.Error(opt, "kubernetes", $"unable to parse ignore value: '{a[0]}'", bag, 0);
                    break;
                case "noendpoints": PluginArgs.NoArgs(opt, bag); o = o with { NoEndpoints = true }; break;
                case "labels":
                case "namespace_labels":
                    if (a.Count == 0) { PluginArgs.Error(opt, "kubernetes", $"{opt.Name} needs a label selector", bag); break; }
                    var selector = string.Join(" ", a);
                    if (LabelSelector.Check(selector) is { } why) { PluginArgs.Error(opt, "kubernetes", $"unable to parse {(opt.Name == "labels" ? "label" : "namespace_label")} selector value: '{selector}': {why}", bag); break; }
                    if (opt.Name == "namespace_labels") namespaceLabelsSet = true;
                    Offline(opt, "FastPath serves the objects in its manifests or watch; it does not filter them by label");
                    break;
                // Options about reaching the API server: checked as CoreDNS checks them; the live feed has its own settings.
                case "endpoint":
                    if (a.Count == 0) PluginArgs.Error(opt, "kubernetes", "endpoint needs the API server's URL", bag);
                    else Offline(opt, "the API server is configured on FastPath's live feed, not in the Corefile");
                    break;
                case "tls":
                    if (a.Count != 3) PluginArgs.Error(opt, "kubernetes", "tls takes CERT KEY CACERT", bag);
                    else Offline(opt, "the API server is configured on FastPath's live feed, not in the Corefile");
                    break;
                case "kubeconfig":
                    if (a.Count is not (1 or 2)) PluginArgs.Error(opt, "kubernetes", "kubeconfig takes KUBECONFIG [CONTEXT]", bag);
                    else Offline(opt, "the API server is configured on FastPath's live feed, not in the Corefile");
                    break;
                case "startup_timeout":
                    if (a.Count == 0) PluginArgs.Error(opt, "kubernetes", "startup_timeout needs a duration", bag);
                    else if (!PluginArgs.TryDuration(a[0], out _)) PluginArgs.Error(opt, "kubernetes", $"failed to parse startup_timeout: {a[0]}", bag, 0);
                    else Offline(opt, "FastPath's live feed has its own sync wait (WaitForSyncAsync)");
                    break;
                case "apiserver_qps":
                    if (a.Count != 1) PluginArgs.Error(opt, "kubernetes", "apiserver_qps takes one number", bag);
                    else if (!double.TryParse(a[0], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double qps)) PluginArgs.Error(opt, "kubernetes", $"invalid apiserver_qps \"{a[0]}\"", bag, 0);
                    else if (qps < 0) PluginArgs.Error(opt, "kubernetes", "apiserver_qps must be >= 0", bag, 0);
                    else Offline(opt, "FastPath's live feed has its own client settings");
                    break;
                case "apiserver_burst":
                case "apiserver_max_inflight":
                    if (a.Count != 1) PluginArgs.Error(opt, "kubernetes", $"{opt.Name} takes one number", bag);
                    else if (!PluginArgs.TryAtoi(a[0], out long n)) PluginArgs.Error(opt, "kubernetes", $"invalid {opt.Name} \"{a[0]}\"", bag, 0);
                    else if (n < 0) PluginArgs.Error(opt, "kubernetes", $"{opt.Name} must be >= 0", bag, 0);
                    else Offline(opt, "FastPath's live feed has its own client settings");
                    break;
                case "multicluster":
                    var mc = NormalizeZones(opt, 0, a.Count, bag);
                    var outside = mc.FirstOrDefault(z => !zones.Contains(z));
                    if (outside is not null) PluginArgs.Error(opt, "kubernetes", $"multicluster zone '{outside}' must be one of the plugin's zones", bag);
                    else PluginArgs.NotHonoured(opt, "kubernetes", "multicluster", "FastPath does not serve ServiceImports (MCS-API)", bag);
                    break;
                case "zonal":
                    if (a.Count != 0) PluginArgs.Error(opt, "kubernetes", "zonal takes no arguments", bag, 0);
                    else PluginArgs.NotHonoured(opt, "kubernetes", "zonal", "FastPath answers with endpoints of every zone", bag);
                    break;
                default: PluginArgs.Error(opt, "kubernetes", $"unknown property '{opt.Name}'", bag); break;
            }
        }
        if (namespacesSet && namespaceLabelsSet) PluginArgs.Error(d, "kubernetes", "namespaces and namespace_labels cannot both be set", bag);
        return o;

        void Offline(Directive opt, string why) => PluginArgs.NotHonoured(opt, "kubernetes", "'" + opt.Name + "'", why, bag);
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
