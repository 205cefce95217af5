using System.Collections.Generic;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.Model;

namespace FastPath.Yarp;

/// <summary>
/// YARP's availability step for FastPath clusters: a destination is available when kube-proxy would use it from this
/// node (<see cref="FastPathMetadata.Eligible"/>: ready endpoints, else serving-terminating ones, after traffic policy
/// and topology) and, where YARP's own active or passive health checks are enabled, they do not call it unhealthy.
/// With none available YARP answers 503, as for any cluster without a healthy destination. Where YARP's active checks
/// are off, the verdict is also written as the destination's active health (Healthy / Unhealthy), so whatever reads
/// YARP's state (IProxyStateLookup, YARP's own availability policies) sees not-ready and terminating endpoints as
/// YARP would after a failed probe.
/// </summary>
internal sealed class EndpointConditionsPolicy : IAvailableDestinationsPolicy
{
    public string Name => FastPathPolicyNames.EndpointConditions;

    public IReadOnlyList<DestinationState> GetAvailalableDestinations(ClusterConfig config, IReadOnlyList<DestinationState> allDestinations)
    {
        bool active = config.HealthCheck?.Active?.Enabled ?? false, passive = config.HealthCheck?.Passive?.Enabled ?? false;
        var available = new List<DestinationState>(allDestinations.Count);
        foreach (var d in allDestinations)
        {
            var meta = d.Model.Config.Metadata;
            // A destination FastPath did not write (added by a config filter) carries no verdict: it stays available.
            if (meta is not null && meta.TryGetValue(FastPathMetadata.Eligible, out var eligible))
            {
                bool usable = eligible == "true";
                if (!active) d.Health.Active = usable ? DestinationHealth.Healthy : DestinationHealth.Unhealthy;
                if (!usable) continue;
            }
            if (active && d.Health.Active == DestinationHealth.Unhealthy) continue;
            if (passive && d.Health.Passive == DestinationHealth.Unhealthy) continue;
            available.Add(d);
        }
        return available;
    }
}
