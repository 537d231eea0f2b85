from django.db import models


class GeneratedDataset(models.Model):
    """One run of `earlyhelp generate`, so that a second run of a seed adds nothing."""

    family_data = False  # counts of synthetic rows

    seed = models.BigIntegerField(unique=True)
    families = models.PositiveIntegerField()
    as_of = models.DateField()
    counts = models.JSONField(default=dict)
    generated_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Synthetic dataset, seed {self.seed}"
