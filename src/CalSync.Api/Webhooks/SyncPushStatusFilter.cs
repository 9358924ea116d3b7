using CalSync.Api.Syncs;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CalSync.Api.Webhooks;

/// <summary>
/// Adds <see cref="SyncReply.Push"/> to every sync the syncs endpoints answer with (created, read, listed,
/// patched), so each handler stays as it is and every reply shows the same fields.
/// </summary>
public sealed class SyncPushStatusFilter(SyncPushStatus status) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var result = await next(context);
        var inner = result is INestedHttpResult nested ? nested.Result : result;
        var cancellationToken = context.HttpContext.RequestAborted;
        return inner switch
        {
            Ok<SyncReply> { Value: { } one } => TypedResults.Ok(await status.AddToAsync(one, cancellationToken)),
            Created<SyncReply> { Value: { } fresh } answer => TypedResults.Created(answer.Location, await status.AddToAsync(fresh, cancellationToken)),
            Ok<SyncReply[]> { Value: { } many } => TypedResults.Ok(await status.AddToAsync(many, cancellationToken)),
            _ => result,
        };
    }
}
