using DcAssets.Telemetry.Polling;
using JasperFx;
using Wolverine.Runtime;
using Wolverine.Runtime.Agents;

namespace DcAssets.Web.Telemetry;

/// <summary>
/// The poll groups as a Wolverine agent family: Wolverine's leader shares the groups out evenly among the nodes
/// that poll, and moves a group when its node stops or stops answering (Nodes:StaleSeconds). Starting a group's
/// agent makes this node's poller hold it; stopping it hands it over. A node with telemetry off offers none.
/// </summary>
internal sealed class PollGroupAgents(PollerNode node) : IStaticAgentFamily
{
    public const string Scheme = "dcassets-poll";

    public static Uri UriOf(int group) => new($"{Scheme}://group/{group}");

    public static int GroupOf(Uri uri) =>
        int.TryParse(uri.Segments.LastOrDefault(), out var g) && g is >= 0 and < PollGroups.Count
            ? g : throw new InvalidAgentException($"not a poll group: {uri}");

    string IAgentFamily.Scheme => Scheme;

    private static readonly IReadOnlyList<Uri> All = PollGroups.All.Select(UriOf).ToList();

    public ValueTask<IReadOnlyList<Uri>> AllKnownAgentsAsync() => new(All);

    public ValueTask<IReadOnlyList<Uri>> SupportedAgentsAsync() =>
        new(node.Enabled ? All : Array.Empty<Uri>());

    public ValueTask<IAgent> BuildAgentAsync(Uri uri, IWolverineRuntime runtime) =>
        new(new PollGroupAgent(uri, GroupOf(uri), node));

    // Only nodes that offered the groups get them (a node with telemetry off offers none), even when such a node
    // was alone at first and was handed them all.
    public ValueTask EvaluateAssignmentsAsync(AssignmentGrid assignments)
    {
        var capable = assignments.Nodes.Where(n => n.Capabilities.Contains(All[0])).ToHashSet();
        foreach (var uri in All)
            if (assignments.AgentFor(uri) is { AssignedNode: { } node } agent && !capable.Contains(node))
                agent.Detach();
        if (capable.Count > 0)
            assignments.DistributeEvenlyWithAffinity(Scheme, _ => null, capable.Contains);
        return ValueTask.CompletedTask;
    }

    private sealed class PollGroupAgent(Uri uri, int group, PollerNode node) : IAgent
    {
        public Uri Uri => uri;
        public AgentStatus Status { get; private set; } = AgentStatus.Stopped;

        public Task StartAsync(CancellationToken cancellationToken)
        {
            node.Poller.HoldGroup(group);
            Status = AgentStatus.Running;
            return Task.CompletedTask;
        }

        public async Task StopAsync(CancellationToken cancellationToken)
        {
            await node.Poller.ReleaseGroupAsync(group);
            Status = AgentStatus.Stopped;
        }
    }
}
