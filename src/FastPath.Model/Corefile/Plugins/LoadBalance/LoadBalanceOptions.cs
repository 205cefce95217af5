using FastPath.Model.Diagnostics;

namespace FastPath.Model.Corefile.Plugins;

/// <summary>loadbalance [round_robin] (plugin/loadbalance): shuffles A/AAAA records of NOERROR replies.</summary>
public sealed record LoadBalanceOptions(string Policy)
{
    internal static LoadBalanceOptions? Parse(Directive d, DiagnosticBag bag)
    {
        var policy = d.Args.Count > 0 ? d.Args[0] : "round_robin";
        if (policy != "round_robin")
        {
            bag.Report(Descriptors.PluginOption, d.ArgLocation(0), "loadbalance", $"policy '{policy}' is not supported by FastPath; use round_robin");
            return null;
        }
        return new LoadBalanceOptions(policy);
    }
}
