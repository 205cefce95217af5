using System;
using System.Collections.Generic;
using System.IO;
using FastPath.Cli.Commands;

namespace FastPath.Cli;

public static class Program
{
    private static readonly HashSet<string> Flags = new(StringComparer.Ordinal) { "--json", "--external", "--no-service-links", "--help", "--explain", "--in-cluster", "--watch" };

    public static int Main(string[] argv) => Run(argv, Console.Out, Console.Error);

    /// <summary>Runs one command; the tests call this directly with their own writers.</summary>
    public static int Run(string[] argv, TextWriter @out, TextWriter err)
    {
        if (argv.Length == 0 || argv[0] is "-h" or "--help" or "help")
        {
            PrintUsage(@out);
            return argv.Length == 0 ? 1 : 0;
        }
        var command = argv[0];
        string usage = "";
        try
        {
            var args = new CliArgs(argv[1..], Flags);
            switch (command)
            {
                case "check": usage = CheckCommand.Usage; return CheckCommand.Run(args, @out);
                case "resolve": usage = ResolveCommand.Usage; return ResolveCommand.Run(args, @out, err);
                case "endpoints": usage = EndpointsCommand.Usage; return EndpointsCommand.Run(args, @out, err);
                case "env": usage = EnvCommand.Usage; return EnvCommand.Run(args, @out, err);
                case "select": usage = SelectCommand.Usage; return SelectCommand.Run(args, @out, err);
                case "serve": usage = ServeCommand.Usage; return ServeCommand.Run(args, @out, err);
                case "resolvconf": usage = ResolvConfCommand.Usage; return ResolvConfCommand.Run(args, @out, err);
                case "lookup": usage = LookupCommand.Usage; return LookupCommand.Run(args, @out, err);
                default:
                    err.WriteLine($"fastpath: unknown command '{command}'");
                    PrintUsage(err);
                    return 1;
            }
        }
        catch (UsageException ex)
        {
            err.WriteLine($"fastpath {command}: {ex.Message}");
            if (usage.Length > 0) err.WriteLine("usage: " + usage);
            return 1;
        }
    }

    private static void PrintUsage(TextWriter w)
    {
        w.WriteLine("fastpath: Kubernetes Service networking (CoreDNS answers, kube-proxy choices) compiled for in-process use");
        w.WriteLine("commands:");
        w.WriteLine("  " + CheckCommand.Usage);
        w.WriteLine("  " + ResolveCommand.Usage);
        w.WriteLine("  " + EndpointsCommand.Usage);
        w.WriteLine("  " + SelectCommand.Usage);
        w.WriteLine("  " + ServeCommand.Usage);
        w.WriteLine("  " + EnvCommand.Usage);
        w.WriteLine("  " + ResolvConfCommand.Usage);
        w.WriteLine("  " + LookupCommand.Usage);
    }
}
