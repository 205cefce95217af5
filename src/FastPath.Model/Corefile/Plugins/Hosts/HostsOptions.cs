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
            // CoreDNS starts with a missing hosts file (it logs "File does not exist") and reads it once it appears.
            if (text is null) PluginArgs.NotHonoured(d, "hosts", $"the file '{d.Args[0]}'", "it cannot be read now, so its entries are not served", bag);
            else entries.AddRange(ParseHostsFile(text));
        }
        else PluginArgs.NotHonoured(d, "hosts", "the default /etc/hosts", "FastPath serves only a hosts file the directive names and inline entries", bag);
        bool fallthroughSeen = false, unsupportedSeen = false;
        foreach (var opt in d.Block)
        {
            switch (opt.Name)
            {
                case "ttl":
                    if (opt.Args.Count < 1) PluginArgs.Error(opt, "hosts", "ttl needs a time in second", bag);
                    else if (!PluginArgs.TryAtoi(opt.Args[0], out long t)) PluginArgs.Error(opt, "hosts", "ttl needs a number of second", bag, 0);
                    else if (t <= 0 || t > 65535) PluginArgs.Error(opt, "hosts", "ttl provided is invalid", bag, 0);
                    else o = o with { Ttl = (int)t };
                    break;
                case "no_reverse": o = o with { NoReverse = true }; break;
                case "reload":
                    if (opt.Args.Count != 1) PluginArgs.Error(opt, "hosts", "reload needs a duration (zero seconds to disable)", bag);
                    else if (!PluginArgs.TryDuration(opt.Args[0], out var r)) PluginArgs.Error(opt, "hosts", $"invalid duration for reload '{opt.Args[0]}'", bag, 0);
                    else if (r < System.TimeSpan.Zero) PluginArgs.Error(opt, "hosts", $"invalid negative duration for reload '{opt.Args[0]}'", bag, 0);
                    break;
                case "fallthrough":
                    fallthroughSeen = true;
                    o = o with { Fallthrough = KubernetesOptions.NormalizeZones(opt, 0, opt.Args.Count, bag) };
                    break;
                case "fallthrough_unsupported":
                    if (opt.Args.Count != 0) PluginArgs.Error(opt, "hosts", "fallthrough_unsupported takes no arguments", bag, 0);
                    else { unsupportedSeen = true; PluginArgs.NotHonoured(opt, "hosts", "fallthrough_unsupported", "FastPath answers NODATA for other types of a hosts name", bag); }
                    break;
                default:
                    // Before a fallthrough line, any other line is an inline hosts entry (bad ones are skipped, as CoreDNS skips them).
                    if (fallthroughSeen) { PluginArgs.Error(opt, "hosts", $"unknown property '{opt.Name}'", bag); break; }
                    if (IpText.IsValid(opt.Name) && opt.Args.Count > 0) entries.Add(new HostsEntry(opt.Name, Lower(opt.Args)));
                    else PluginArgs.NotHonoured(opt, "hosts", $"the line '{opt}'", "it is not an ADDRESS NAME… entry, so CoreDNS skips it too", bag);
                    break;
            }
        }
        if (unsupportedSeen && !fallthroughSeen) PluginArgs.Error(d, "hosts", "fallthrough_unsupported requires fallthrough", bag);
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
