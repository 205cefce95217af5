using System.Collections.Generic;
using FastPath.Model.Corefile.Plugins;
using FastPath.Model.Diagnostics;

namespace FastPath.Model.Corefile;

/// <summary>A server block's address: <c>[scheme://]zone[:port]</c>. Zones are lower-case and fully qualified.</summary>
public sealed record ServerKey(string Scheme, string Zone, int Port)
{
    public override string ToString() => (Scheme == "dns" ? "" : Scheme + "://") + Zone + ":" + Port;
}

/// <summary>One server block: its keys and its plugins, typed where FastPath implements them.</summary>
public sealed record ServerBlock(IReadOnlyList<ServerKey> Keys, IReadOnlyList<Directive> Directives, SourceLocation Location)
{
    public PluginSet Plugins { get; init; } = new();
}
