using System.Collections.Generic;
using FastPath.Model.Diagnostics;

namespace FastPath.Model.Corefile.Plugins;

/// <summary>autopath [ZONE…] RESOLV-CONF|@kubernetes (plugin/autopath).</summary>
public sealed record AutopathOptions(IReadOnlyList<string> Zones, string Source)
{
    public bool FromKubernetes => Source == "@kubernetes";

    internal static AutopathOptions? Parse(Directive d, ServerBlock block, DiagnosticBag bag)
    {
        if (d.Args.Count == 0) { bag.Report(Descriptors.PluginOption, d.Location, "autopath", "needs @kubernetes or a resolv.conf path"); return null; }
        var source = d.Args[d.Args.Count - 1];
        var zones = KubernetesOptions.NormalizeZones(d, 0, d.Args.Count - 1, bag);
        if (zones.Count == 0) foreach (var k in block.Keys) zones.Add(k.Zone);
        return new AutopathOptions(zones, source);
    }
}
