using System.Collections.Generic;
using FastPath.Model.Corefile;

namespace FastPath.Model.Planning;

public sealed partial class DnsPlanner
{
    /// <summary>
    /// Plans rewrite, autopath and hosts for every server block that has one of them, and maps each route (the
    /// first block with that zone serves it, as <see cref="CorefileConfig.BlockFor"/> routes) to its block's chain.
    /// Null when no block uses them.
    /// </summary>
    internal static PluginPlan? PlanPlugins(Cluster cluster, IReadOnlyList<PlanRoute> routes)
    {
        var chains = new List<ChainPlan>();
        var chainOfBlock = new Dictionary<ServerBlock, int>();
        var chainOfRoute = new int[routes.Count];
        bool any = false;
        for (int i = 0; i < routes.Count; i++)
        {
            var block = FirstBlockWith(cluster.Corefile, routes[i].Zone);
            chainOfRoute[i] = -1;
            if (block is null) continue;
            if (!chainOfBlock.TryGetValue(block, out int chain))
            {
                var p = block.Plugins;
                var plan = new ChainPlan(
                    p.Rewrite is null ? null : PlanRewrite(p.Rewrite),
                    p.Autopath is null ? null : PlanAutopath(cluster, p.Autopath, p.Kubernetes),
                    p.Hosts is null ? null : PlanHosts(p.Hosts));
                chain = plan.Rewrite is null && plan.Autopath is null && plan.Hosts is null ? -1 : chains.Count;
                if (chain >= 0) chains.Add(plan);
                chainOfBlock[block] = chain;
            }
            chainOfRoute[i] = chain;
            any |= chain >= 0;
        }
        return any ? new PluginPlan(chainOfRoute, chains) : null;
    }

    private static ServerBlock? FirstBlockWith(CorefileConfig corefile, string zone)
    {
        foreach (var b in corefile.ServerBlocks)
            foreach (var k in b.Keys)
                if (k.Zone == zone) return b;
        return null;
    }
}
