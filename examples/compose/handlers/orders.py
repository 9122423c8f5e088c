"""Handlers for the two example actors. The Asya runtime calls them with the payload and sends on what they return."""


def validate(payload: dict) -> dict:
    if payload.get("amount", 0) <= 0:
        raise ValueError(f"amount must be positive, got {payload.get('amount')}")
    return {**payload, "valid": True}


def enrich(payload: dict) -> dict:
    return {**payload, "region": "eu-west"}
