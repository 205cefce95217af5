using System.Collections.Generic;
using System.Linq;
using FastPath.Model.Corefile.Plugins;

namespace FastPath.Model.Corefile;

/// <summary>A parsed Corefile.</summary>
public sealed class CorefileConfig
{
    public CorefileConfig(IReadOnlyList<ServerBlock> blocks, string text)
    {
        ServerBlocks = blocks; Text = text;
    }

    public IReadOnlyList<ServerBlock> ServerBlocks { get; }
    public string Text { get; }

    /// <summary>
    /// The server block that serves a query name on a port, as CoreDNS routes it: the block whose key zone is the
    /// longest suffix of the name (core/dnsserver/server.go); null when none serves it (REFUSED).
    /// </summary>
    public ServerBlock? BlockFor(string lowerFqdn, int? port = null)
    {
        ServerBlock? best = null;
        int bestLen = -1;
        foreach (var b in ServerBlocks)
            foreach (var k in b.Keys)
                if ((port is null || k.Port == port) && ZoneName.IsSubdomain(k.Zone, lowerFqdn) && k.Zone.Length > bestLen)
                { best = b; bestLen = k.Zone.Length; }
        return best;
    }

    /// <summary>The first server block with a kubernetes plugin, the one cluster names are answered from.</summary>
    public ServerBlock? KubernetesBlock => ServerBlocks.FirstOrDefault(b => b.Plugins.Kubernetes is not null);

    public KubernetesOptions? Kubernetes => KubernetesBlock?.Plugins.Kubernetes;

    /// <summary>CoreDNS's default Corefile as kubeadm installs it.</summary>
    public const string Default = """
        .:53 {
            errors
            health {
               lameduck 5s
            }
            ready
            kubernetes cluster.local in-addr.arpa ip6.arpa {
               pods insecure
               fallthrough in-addr.arpa ip6.arpa
               ttl 30
            }
            prometheus :9153
            forward . /etc/resolv.conf {
               max_concurrent 1000
            }
            cache 30
            loop
            reload
            loadbalance
        }

        """;
}
