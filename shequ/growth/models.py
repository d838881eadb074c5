"""Growth and careers: the training and careers subpackages each own their models."""

from shequ.growth.careers.models import *  # noqa: F401,F403
from shequ.growth.training.models import *  # noqa: F401,F403
