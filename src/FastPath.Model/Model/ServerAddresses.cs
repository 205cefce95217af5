using System.Collections.Generic;
using System.Linq;
using System.Net;
using FastPath.Model.Net;

namespace FastPath.Model;

/// <summary>The DNS server's own addresses when none are given: where CoreDNS runs, the ready endpoints of kube-system/kube-dns.</summary>
public static class ServerAddresses
{
    public static IReadOnlyList<IPAddress> Default(Cluster c)
    {
        var kubeDns = c.FindService("kube-system", "kube-dns");
        if (kubeDns is null) return [];
        var result = new List<IPAddress>();
        foreach (var a in c.SlicesFor(kubeDns).SelectMany(s => s.Endpoints).Where(e => e.IsReady).SelectMany(e => e.Addresses).Distinct())
            if (IpText.TryParse(a, out var ip) && !IPAddress.IsLoopback(ip)) result.Add(ip);
        return result;
    }
}
