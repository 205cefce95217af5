using System.Collections.Generic;
using FastPath.Model.Diagnostics;

namespace FastPath.Model.Corefile.Plugins;

/// <summary>The one place that lists the Corefile plugins FastPath understands and reads their options.</summary>
public static class PluginRegistry
{
    /// <summary>Plugins CoreDNS has that FastPath accepts and ignores without changing answers.</summary>
    private static readonly HashSet<string> Inert = new() { "debug", "whoami", "any", "bufsize", "cancel", "local", "minimal", "nsid", "trace", "chaos", "transfer" };

    /// <summary>Plugins whose setup returns plugin.ErrOnce on a second use in one server block.</summary>
    private static readonly HashSet<string> Once = new() { "cache", "errors", "hosts", "kubernetes", "loop", "prometheus", "ready" };

    internal static PluginSet Read(ServerBlock block, DiagnosticBag bag, System.Func<string, string?> readFile)
    {
        var set = new PluginSet();
        var rewrites = new List<RewriteRule>();
        var seen = new HashSet<string>();
        foreach (var d in block.Directives)
        {
            if (!seen.Add(d.Name) && Once.Contains(d.Name))
            {
                bag.Report(Descriptors.PluginOption, d.Location, d.Name, "this plugin can only be used once per Server Block");
                continue;
            }
            switch (d.Name)
            {
                case "kubernetes": set = set with { Kubernetes = KubernetesOptions.Parse(d, block, bag) }; break;
                case "forward": set = set with { Forward = ForwardOptions.Parse(d, bag) }; break;
                case "cache": set = set with { Cache = CacheOptions.Parse(d, bag) }; break;
                case "loadbalance": set = set with { LoadBalance = LoadBalanceOptions.Parse(d, bag) }; break;
                case "rewrite": if (RewriteOptions.ParseRule(d, bag) is { } r) rewrites.Add(r); break;
                case "autopath": set = set with { Autopath = AutopathOptions.Parse(d, block, bag, readFile) }; break;
                case "hosts": set = set with { Hosts = HostsOptions.Parse(d, bag, readFile) }; break;
                case "log": set = set with { Log = LogOptions.Parse(d, bag) }; break;
                case "errors": set = set with { Errors = ErrorsOptions.Parse(d, bag) }; break;
                case "health": set = set with { Health = HttpEndpointOptions.Parse(d, ":8080", bag) }; break;
                case "ready": set = set with { Ready = HttpEndpointOptions.Parse(d, ":8181", bag) }; break;
                case "prometheus": set = set with { Prometheus = HttpEndpointOptions.Parse(d, "localhost:9153", bag) }; break;
                case "loop": PluginArgs.NoArgs(d, bag); set = set with { Loop = true }; break;
                case "reload": set = set with { Reload = ReloadOptions.Parse(d, bag) }; break;
                case "bind": if (BindOptions.Parse(d, bag) is { } bind) set = set with { Bind = new BindOptions([.. set.Bind?.Lines ?? [], bind]) }; break;
                default:
                    if (!Inert.Contains(d.Name)) bag.Report(Descriptors.UnknownPlugin, d.Location, d.Name);
                    break;
            }
        }
        if (rewrites.Count > 0) set = set with { Rewrite = new RewriteOptions(rewrites) };
        return set;
    }
}
