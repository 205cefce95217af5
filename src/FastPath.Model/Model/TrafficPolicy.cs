namespace FastPath.Model;

public enum TrafficPolicy { Cluster, Local }
