using System;
using System.Net;

namespace FastPath.Runtime;

/// <summary>
/// The IPVS virtual service a connection arrives at, which persistence is keyed by: the ClusterIP and port from inside;
/// from outside the first load-balancer VIP or external IP, else the NodePort on the node (the node's address is not
/// in the manifests: its name stands for it). Persistence is therefore per entry point, as in IPVS.
/// </summary>
public static class VirtualServiceKey
{
    public static (UInt128 Address, int Port) For(string clusterIP, int port, bool external, string? externalVip, int nodePort, string? node)
    {
        if (!external) return (IpKey.From(IPAddress.Parse(clusterIP)), port);
        if (externalVip is not null && IPAddress.TryParse(externalVip, out var vip)) return (IpKey.From(vip), port);
        return (IpKey.FromIPv4((uint)BackendSelector.EndpointId("node/" + node)), nodePort);
    }
}
