"""ML column classification (DI / QI / SI / NSI) for ``detect_qi(mode="ml" | "auto")``.

The model is a multinomial logistic regression over column features (see ``features``),
shipped as JSON coefficients in ``veil/tabular/data/qi_model.json`` with its training data card
``qi_model_card.md``; ``scripts/train_qi_model.py`` retrains it.
"""

from veil.tabular.ml_detection.features import FEATURE_NAMES, column_features, name_tokens
from veil.tabular.ml_detection.model import QIModel, apply_model, frame_features, load_model, parse_model

__all__ = ["FEATURE_NAMES", "QIModel", "apply_model", "column_features", "frame_features", "load_model",
           "name_tokens", "parse_model"]
