using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using FastPath.Model.Corefile;

namespace FastPath.Server;

/// <summary>
/// The DNS listeners a Corefile asks for, as CoreDNS opens them: each server block listens on its key's port (<c>.:53</c>
/// is port 53) on every interface (<c>[::]</c> dual-stack, as Go's listener), or on what its <c>bind</c> lines name
/// (addresses, or the addresses of named interfaces, less <c>except</c>). Blocks sharing a port and host share a listener.
/// </summary>
internal static class CorefileListeners
{
    /// <summary>
    /// The endpoints to serve, in Corefile order without repeats; <paramref name="skipped"/> names the keys of schemes
    /// FastPath does not serve (tls://, https://, grpc://, quic://). Throws <see cref="FormatException"/> with the
    /// bind line's location when an argument is neither an address nor an interface of this host.
    /// </summary>
    public static IReadOnlyList<IPEndPoint> From(CorefileConfig corefile, out IReadOnlyList<ServerKey> skipped, Func<string, IReadOnlyList<string>?>? interfaces = null)
    {
        interfaces ??= HostInterfaces;
        var endpoints = new List<IPEndPoint>();
        var notServed = new List<ServerKey>();
        foreach (var block in corefile.ServerBlocks)
        {
            IReadOnlyList<IPAddress> hosts = [Socket.OSSupportsIPv6 ? IPAddress.IPv6Any : IPAddress.Any];
            if (block.Plugins.Bind is { } bind)
            {
                var listed = bind.ListenHosts(interfaces, out var error) ?? throw new FormatException(error);
                hosts = listed.Select(IPAddress.Parse).ToList();
            }
            foreach (var key in block.Keys)
            {
                if (key.Scheme != "dns") { notServed.Add(key); continue; }
                foreach (var host in hosts)
                {
                    var at = new IPEndPoint(host, key.Port);
                    if (!endpoints.Contains(at)) endpoints.Add(at);
                }
            }
        }
        skipped = notServed;
        return endpoints;
    }

    /// <summary>
    /// This host's addresses of the interface named <paramref name="name"/>, or null when it has none by that name. IPv6
    /// link-local addresses keep their zone, as upstream's listIP adds it.
    /// </summary>
    public static IReadOnlyList<string>? HostInterfaces(string name)
    {
        var nic = NetworkInterface.GetAllNetworkInterfaces().FirstOrDefault(n => n.Name == name);
        return nic?.GetIPProperties().UnicastAddresses.Select(u => u.Address.ToString()).ToList();
    }
}
