"""What each command does: service(params, session), nothing else outside."""
