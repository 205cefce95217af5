using System.Runtime.CompilerServices;
using FastPath.Model.Planning;

namespace FastPath.Compiled.Plugins;

/// <summary>
/// rewrite, autopath and hosts compiled for every server block that has them, built from the
/// <see cref="PluginPlan"/> by generated code and by the live snapshot alike.
/// </summary>
public sealed class CompiledPlugins
{
    private static readonly ConditionalWeakTable<PluginPlan, CompiledPlugins> Built = new();
    private readonly int[] _chainOfRoute;
    private readonly CompiledChain[] _chains;

    private CompiledPlugins(PluginPlan plan)
    {
        _chainOfRoute = [.. plan.ChainOfRoute];
        _chains = new CompiledChain[plan.Chains.Count];
        for (int i = 0; i < _chains.Length; i++)
        {
            _chains[i] = new CompiledChain(plan.Chains[i]);
            HasAutopath |= _chains[i].Autopath is not null;
        }
    }

    /// <summary>Whether some block has autopath, whose search-path probes read the index's <c>NameFilter</c>.</summary>
    internal bool HasAutopath { get; }

    /// <summary>
    /// The compiled plugins of a plan. A live cluster builds several snapshots from one plan (Service updates), so
    /// the tables and compiled regexes are made once per plan.
    /// </summary>
    public static CompiledPlugins FromPlan(PluginPlan plan) => Built.GetValue(plan, static p => new CompiledPlugins(p));

    /// <summary>The chain of the block serving a route, or null when that block has none of these plugins.</summary>
    internal CompiledChain? ChainOf(int route) => route < _chainOfRoute.Length && _chainOfRoute[route] >= 0 ? _chains[_chainOfRoute[route]] : null;
}

/// <summary>One server block's compiled rewrite, autopath and hosts (each null when absent).</summary>
internal sealed class CompiledChain(ChainPlan plan)
{
    public RewriteRules? Rewrite { get; } = plan.Rewrite is null ? null : new RewriteRules(plan.Rewrite);
    public AutopathTable? Autopath { get; } = plan.Autopath is null ? null : new AutopathTable(plan.Autopath);
    public HostsTable? Hosts { get; } = plan.Hosts is null ? null : new HostsTable(plan.Hosts);
}
