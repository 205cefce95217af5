using System.Collections.Generic;
using FastPath.Model.Diagnostics;

namespace FastPath.Model.Corefile.Plugins;

/// <summary>autopath [ZONE…] RESOLV-CONF|@PLUGIN (plugin/autopath/setup.go).</summary>
public sealed record AutopathOptions(IReadOnlyList<string> Zones, string Source)
{
    public bool FromKubernetes => Source == "@kubernetes";

    internal static AutopathOptions? Parse(Directive d, ServerBlock block, DiagnosticBag bag, System.Func<string, string?> readFile)
    {
        if (d.Args.Count == 0) { PluginArgs.Error(d, "autopath", "no resolv-conf specified: give @kubernetes or a resolv.conf path", bag); return null; }
        var source = d.Args[d.Args.Count - 1];
        if (!source.StartsWith("@", System.StringComparison.Ordinal))
        {
            // CoreDNS reads the file at setup: a missing or unreadable one is an error there too.
            if (source.Length == 0 || readFile(source) is null) { PluginArgs.Error(d, "autopath", $"failed to parse \"{source}\": cannot read the file", bag, d.Args.Count - 1); return null; }
            PluginArgs.NotHonoured(d, "autopath", "a resolv.conf search path", "FastPath's autopath follows the kubernetes plugin's search path (@kubernetes) only", bag);
        }
        else if (source != "@kubernetes")
            PluginArgs.NotHonoured(d, "autopath", source, "only @kubernetes provides a search path in FastPath", bag);
        var zones = KubernetesOptions.NormalizeZones(d, 0, d.Args.Count - 1, bag);
        if (zones.Count == 0) foreach (var k in block.Keys) zones.Add(k.Zone);
        return new AutopathOptions(zones, source);
    }
}
