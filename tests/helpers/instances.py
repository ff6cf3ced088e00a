"""EC2 instances of the local endpoint, launched for a test: each is a managed node of its simulated fleet."""

AMAZON_LINUX_2 = "amzn2-ami-hvm-*"


def launch_instances(ec2, count=1, tags=None, image_name=None):
    """`count` t3.micro instances with `tags` (a dict), from the first Amazon-owned image or the first image named
    like `image_name`; their ids, sorted."""
    images = (
        ec2.describe_images(Filters=[{"Name": "name", "Values": [image_name]}])
        if image_name
        else ec2.describe_images(Owners=["amazon"])
    )
    options = {}
    if tags:
        tag_list = [{"Key": key, "Value": value} for key, value in tags.items()]
        options["TagSpecifications"] = [{"ResourceType": "instance", "Tags": tag_list}]
    reservation = ec2.run_instances(
        ImageId=images["Images"][0]["ImageId"], MinCount=count, MaxCount=count, InstanceType="t3.micro", **options
    )
    return sorted(instance["InstanceId"] for instance in reservation["Instances"])
