using System.Collections.Generic;
using System.Net;
using FastPath.Model.Corefile.Plugins;
using FastPath.Model.Net;

namespace FastPath.Model.Planning;

public sealed partial class DnsPlanner
{
    /// <summary>
    /// autopath @kubernetes: the pod address → namespace map the search path is built from. Null where autopath does
    /// nothing: another source than @kubernetes, no kubernetes plugin in the block, or pods not verified (the
    /// kubernetes plugin keeps no pod cache then, so it knows no client's namespace).
    /// </summary>
    private static AutopathPlan? PlanAutopath(Cluster cluster, AutopathOptions o, KubernetesOptions? k)
    {
        if (!o.FromKubernetes || k is null || k.Pods != PodMode.Verified) return null;
        var pods = new List<PodAddress>();
        var seen = new HashSet<string>(System.StringComparer.Ordinal);
        foreach (var pod in cluster.Pods)
        {
            if (pod.IsDeleting) continue;
            foreach (var text in pod.PodIPs)
            {
                // A client address is matched by its canonical text, so only canonical spellings can ever match.
                if (!IpText.TryParse(text, out IPAddress ip) || ip.ToString() != text || !seen.Add(text)) continue;
                pods.Add(new PodAddress(text, pod.Namespace));
            }
        }
        return new AutopathPlan(o.Zones, k.Zones, pods);
    }
}
