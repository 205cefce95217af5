using System.Collections.Generic;
using System.IO;
using FastPath.Model.Diagnostics;
using FastPath.Model.Net;

namespace FastPath.Model.Corefile.Plugins;

public sealed record HostsEntry(string Address, IReadOnlyList<string> Names);

/// <summary>hosts [FILE [ZONES…]] { inline entries, ttl, no_reverse, reload, fallthrough } (plugin/hosts).</summary>
public sealed record HostsOptions
{
    public string? File { get; init; }
    public IReadOnlyList<string> Zones { get; init; } = ["."];
    public IReadOnlyList<HostsEntry> Entries { get; init; } = [];
    public int Ttl { get; init; } = 3600;
    public bool NoReverse { get; init; }
    public IReadOnlyList<string>? Fallthrough { get; init; }

    internal static HostsOptions Parse(Directive d, DiagnosticBag bag, System.Func<string, string?> readFile)
    {
        var o = new HostsOptions();
        var entries = new List<HostsEntry>();
        if (d.Args.Count > 0)
        {
            o = o with { File = d.Args[0] };
            if (d.Args.Count > 1) o = o with { Zones = KubernetesOptions.NormalizeZones(d, 1, d.Args.Count, bag) };
            var text = readFile(d.Args[0]);
            if (text is null) bag.Report(Descriptors.PluginOption, d.ArgLocation(0), "hosts", $"cannot read '{d.Args[0]}'");
            else entries.AddRange(ParseHostsFile(text));
        }
        foreach (var opt in d.Block)
        {
            switch (opt.Name)
            {
                case "ttl": if (PluginArgs.Int(opt, 0, 0, 65535, bag, "ttl") is int t) o = o with { Ttl = t }; break;
                case "no_reverse": o = o with { NoReverse = true }; break;
                case "reload": break;
                case "fallthrough": o = o with { Fallthrough = KubernetesOptions.NormalizeZones(opt, 0, opt.Args.Count, bag) }; break;
                default:
                    if (IpText.IsValid(opt.Name) && opt.Args.Count > 0) entries.Add(new HostsEntry(opt.Name, Lower(opt.Args)));
                    else PluginArgs.Unknown(d, opt, bag);
                    break;
            }
        }
        return o with { Entries = entries };
    }

    /// <summary>/etc/hosts format: address then names; '#' comments; bad lines skipped as the plugin skips them.</summary>
    public static IEnumerable<HostsEntry> ParseHostsFile(string text)
    {
        using var reader = new StringReader(text);
        string? line;
        while ((line = reader.ReadLine()) != null)
        {
            int hash = line.IndexOf('#');
            if (hash >= 0) line = line.Substring(0, hash);
            var f = line.Split((char[]?)null, System.StringSplitOptions.RemoveEmptyEntries);
            if (f.Length < 2 || !IpText.IsValid(f[0])) continue;
            var names = new List<string>();
            for (int i = 1; i < f.Length; i++) names.Add(f[i]);
            yield return new HostsEntry(f[0], Lower(names));
        }
    }

    private static IReadOnlyList<string> Lower(IReadOnlyList<string> names)
    {
        var list = new List<string>();
        foreach (var n in names) list.Add(ZoneName.Normalize(n) ?? n);
        return list;
    }
}
