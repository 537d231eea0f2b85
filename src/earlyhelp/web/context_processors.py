from django.http import HttpRequest

SERVICE_NAME = "Early Help records"


def service(request: HttpRequest) -> dict:
    return {"service_name": SERVICE_NAME}
