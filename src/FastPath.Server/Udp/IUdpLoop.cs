using System.Net;
using System.Threading;

namespace FastPath.Server.Udp;

/// <summary>A UDP receive loop run on its own thread until <see cref="Stop"/>.</summary>
internal interface IUdpLoop
{
    IPEndPoint LocalEndPoint { get; }
    void Run(CancellationToken ct);
    void Stop();
}
