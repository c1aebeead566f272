"""The floor for any FastAPI service here: one route, a small JSON, nothing else."""

from fastapi import FastAPI

app = FastAPI()


@app.get("/v1/me")
async def me() -> dict:
    return {"card_number": "0001234567890", "full_name": "Bench", "status": "active"}
