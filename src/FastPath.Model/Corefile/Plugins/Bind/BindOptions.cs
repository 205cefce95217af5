using System;
using System.Collections.Generic;
using FastPath.Model.Diagnostics;
using FastPath.Model.Net;

namespace FastPath.Model.Corefile.Plugins;

/// <summary>
/// bind ADDRESS|IFACE... { except ADDRESS|IFACE... } (plugin/bind/setup.go): the hosts a server block listens on,
/// every bind line of the block consolidated; without bind, every interface. Interface names are resolved when the
/// server starts (<see cref="ListenHosts"/>), as CoreDNS resolves them at start-up and reload.
/// </summary>
public sealed record BindOptions(IReadOnlyList<BindLine> Lines)
{
    /// <summary>
    /// The addresses to listen on, in the order given: each line's addresses and its interfaces' addresses, less that
    /// line's <c>except</c> list (which covers only its own line, as upstream). <paramref name="interfaceAddresses"/>
    /// gives an interface's addresses by name, or null when there is no such interface. Returns null and
    /// <paramref name="error"/> (located at the line) when an argument is neither an address nor an interface.
    /// </summary>
    public IReadOnlyList<string>? ListenHosts(Func<string, IReadOnlyList<string>?> interfaceAddresses, out string? error)
    {
        var all = new List<string>();
        error = null;
        foreach (var line in Lines)
        {
            var hosts = Resolve(line.Hosts, line, interfaceAddresses, ref error);
            var except = Resolve(line.Except, line, interfaceAddresses, ref error);
            if (hosts is null || except is null) return null;
            foreach (var h in hosts) if (!except.Contains(h)) all.Add(h);
        }
        return all;
    }

    private static List<string>? Resolve(IReadOnlyList<string> args, BindLine line, Func<string, IReadOnlyList<string>?> interfaceAddresses, ref string? error)
    {
        var all = new List<string>();
        foreach (var a in args)
        {
            // An interface name wins over an address of the same spelling, as upstream's listIP looks names up first.
            if (interfaceAddresses(a) is { } addresses) { all.AddRange(addresses); continue; }
            if (!IpText.IsValid(a))
            {
                error = $"{line.Location}: bind: not a valid IP address or interface name: \"{a}\"";
                return null;
            }
            all.Add(a);
        }
        return all;
    }

    internal static BindLine? Parse(Directive d, DiagnosticBag bag)
    {
        if (d.Args.Count == 0) { PluginArgs.Error(d, "bind", "at least one address or interface name is expected", bag); return null; }
        IReadOnlyList<string> except = [];
        foreach (var opt in d.Block)
        {
            if (opt.Name != "except") { PluginArgs.Error(opt, "bind", $"invalid option \"{opt.Name}\"", bag); return null; }
            if (opt.Args.Count == 0) { PluginArgs.Error(opt, "bind", "at least one address or interface must be given to except subdirective", bag); return null; }
            except = opt.Args;
        }
        return new BindLine(d.Args, except, d.Location);
    }
}

/// <summary>One bind line: its addresses or interface names, and the ones its <c>except</c> removes.</summary>
public sealed record BindLine(IReadOnlyList<string> Hosts, IReadOnlyList<string> Except, SourceLocation Location);
