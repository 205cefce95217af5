using FastPath.Model.Corefile.Plugins;

namespace FastPath.Model.Planning;

public sealed partial class DnsPlanner
{
    /// <summary>The name rules as parsed: they are already normalised (lower case, fully qualified where CoreDNS makes them so).</summary>
    private static RewritePlan? PlanRewrite(RewriteOptions o) => o.Rules.Count == 0 ? null : new RewritePlan(o.Rules);
}
