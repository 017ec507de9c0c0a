"""One router per domain, each over that domain's marts."""
